package dev.tessera.scheduler.api;

import dev.tessera.rest.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Problem details for the refusals the HTTP layer makes before a request reaches JAX-RS (and so
 * {@link ProblemMappers}), which Quarkus answers with a status and no body:
 * <ul>
 * <li>413, a body whose {@code Content-Length} is over {@code quarkus.http.limits.max-body-size}: this route runs
 * just before Quarkus's own check and answers first. A chunked body without a length is counted by RESTEasy
 * Reactive as it is read, and refused with its bare 413; that answer is written before any handler of ours
 * could add a body.</li>
 * <li>other client errors the router fails a request with (a request without {@code Host}, for one): the failure
 * handler gives them a body.</li>
 * </ul>
 * Not reachable from here: 414 (request line over {@code max-initial-line-length}), 431 (headers over
 * {@code max-header-size}) and 400 for a request Netty's HTTP codec cannot parse. Vert.x answers those from the
 * HTTP server's invalid-request handler before any route exists for the request, and Quarkus neither configures
 * that handler nor lets the application replace it.
 */
@ApplicationScoped
public class HttpProblems {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    @Inject
    ObjectMapper mapper;

    void routes(@Observes Router router) {
        long limit = maxBodySize.asLongValue();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(c -> bodySize(c, limit))
                .failureHandler(this::failed);
    }

    private void bodySize(RoutingContext c, long limit) {
        String length = c.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = -1; // Netty refuses a Content-Length that is no number before any route runs
        }
        if (declared <= limit) {
            c.next();
            return;
        }
        // the rest of the body is not read: the connection closes once the answer is out, as with Quarkus's own 413
        HttpServerResponse response = c.response();
        response.putHeader(HttpHeaderNames.CONNECTION, "close");
        response.endHandler(v -> c.request().connection().close());
        send(c, new Problem(Problem.TYPE_BASE + "http-413", ProblemMappers.title(413), 413,
                "The body is " + declared + " bytes; this service takes at most " + limit + " bytes (" + readable(limit) + ").",
                null));
    }

    /** A client error the router failed the request with; anything else goes on to Quarkus's error handler. */
    private void failed(RoutingContext c) {
        int status = c.statusCode();
        if (status < 400 || status > 499 || c.response().headWritten() || c.response().ended()) {
            c.next();
            return;
        }
        String detail = c.failure() instanceof VertxException v && v.getMessage() != null && !v.getMessage().isBlank()
                ? sentence(v.getMessage())
                : status == 404 ? "Nothing is found at this path." : "The request was refused before it reached the API.";
        send(c, new Problem(Problem.TYPE_BASE + (status == 404 ? "not-found" : "http-" + status), ProblemMappers.title(status),
                status, detail, null));
    }

    private void send(RoutingContext c, Problem p) {
        String body;
        try {
            body = mapper.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem record always serialises", e);
        }
        c.response().setStatusCode(p.status()).putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE).end(body);
    }

    private static String sentence(String s) {
        String t = s.strip();
        return Character.toUpperCase(t.charAt(0)) + t.substring(1) + (t.endsWith(".") ? "" : ".");
    }

    /** {@code 10 MiB}, {@code 512 KiB}, {@code 100 bytes}. */
    static String readable(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }
}
