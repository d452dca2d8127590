package dev.tessera.inventory.api;

import dev.tessera.rest.HttpLayerProblems;
import dev.tessera.rest.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Problem documents for the refusals the HTTP layer makes before a request reaches JAX-RS (and so
 * {@link ProblemMapper}), in this service's wording: {@link HttpLayerProblems} says which they are.
 */
@ApplicationScoped
public class HttpProblems implements HttpLayerProblems.Wording {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    @Inject
    ObjectMapper mapper;

    void routes(@Observes Router router) {
        HttpLayerProblems.install(router, maxBodySize.asLongValue(), mapper, this);
    }

    @Override
    public Problem tooLarge(long limit, long declared) {
        return problem(413, "the body is " + (declared < 0 ? "over " + limit : declared) + " bytes; at most " + limit
                + " bytes (" + HttpLayerProblems.readable(limit) + ") are accepted");
    }

    @Override
    public Problem notFound(String path) {
        return problem(404, "nothing at " + path);
    }

    @Override
    public Problem refused(int status, Throwable failure) {
        return problem(status, "the request was refused before it was read"
                + (failure != null && failure.getMessage() != null ? ": " + failure.getMessage() : ""));
    }

    private static Problem problem(int status, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return new Problem(Problem.TYPE_BASE + "http-" + status, known != null ? known.getReasonPhrase() : "Error", status,
                detail, null);
    }
}
