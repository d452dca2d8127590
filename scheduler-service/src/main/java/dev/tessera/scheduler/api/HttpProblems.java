package dev.tessera.scheduler.api;

import dev.tessera.rest.HttpLayerProblems;
import dev.tessera.rest.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.VertxException;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Problem details for the refusals the HTTP layer makes before a request reaches JAX-RS (and so
 * {@link ProblemMappers}), in this service's wording: {@link HttpLayerProblems} says which they are.
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
        return new Problem(Problem.TYPE_BASE + "http-413", ProblemMappers.title(413), 413,
                "The body is " + (declared < 0 ? "over " + limit : declared) + " bytes; this service takes at most " + limit
                        + " bytes (" + HttpLayerProblems.readable(limit) + ").", null);
    }

    @Override
    public Problem notFound(String path) {
        return new Problem(Problem.TYPE_BASE + "not-found", ProblemMappers.title(404), 404, "Nothing is found at this path.", null);
    }

    @Override
    public Problem refused(int status, Throwable failure) {
        String detail = failure instanceof VertxException v && v.getMessage() != null && !v.getMessage().isBlank()
                ? sentence(v.getMessage())
                : "The request was refused before it reached the API.";
        return new Problem(Problem.TYPE_BASE + "http-" + status, ProblemMappers.title(status), status, detail, null);
    }

    private static String sentence(String s) {
        String t = s.strip();
        return Character.toUpperCase(t.charAt(0)) + t.substring(1) + (t.endsWith(".") ? "" : ".");
    }
}
