package dev.tessera.inventory.api;

import dev.tessera.rest.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Problem documents for refusals the HTTP layer makes before a request reaches JAX-RS (and so {@link ProblemMapper}),
 * which Quarkus answers with a bare status:
 * <ul>
 * <li>413, a body over {@code quarkus.http.limits.max-body-size}. With a {@code Content-Length} this route answers just
 * before Quarkus's own check would. A chunked HTTP/1 body (no length) is read here by Vert.x's body handler with the
 * same limit, which fails the request with 413 once the body passes it; otherwise RESTEasy Reactive would count it
 * while JAX-RS reads it and write its bare 413 itself, mid-read (as it still does for an HTTP/2 body without a
 * length). Either way the rest of the body is not read: an HTTP/1 connection closes once the answer is out, as with
 * Quarkus's own 413.</li>
 * <li>other client errors the router fails a request with: the failure handler gives them a body.</li>
 * </ul>
 * Not reachable: 414 (request line over {@code quarkus.http.limits.max-initial-line-length}), 431 (headers over
 * {@code max-header-size}) and 400 for a request Netty's HTTP codec cannot parse. Vert.x answers those from its HTTP
 * server's invalid-request handler, before any route runs, and Quarkus neither sets that handler nor lets the
 * application reach the server to set it.
 */
@ApplicationScoped
public class HttpProblems {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    @Inject
    ObjectMapper mapper;

    void routes(@Observes Router router) {
        long limit = maxBodySize.asLongValue();
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(limit);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(c -> bodySize(c, limit, chunked))
                .failureHandler(c -> failed(c, limit));
    }

    private void bodySize(RoutingContext c, long limit, BodyHandler chunked) {
        String length = c.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            // Read here (up to the limit) only an HTTP/1 body sent without its length. Over HTTP/2 RESTEasy Reactive
            // cannot take a request whose body was read before it (it pauses the request, which HTTP/2 refuses once
            // ended), so a long HTTP/2 body without a length still gets its bare 413.
            if (c.request().version() != HttpVersion.HTTP_2 && c.request().headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
                chunked.handle(c);
            } else {
                c.next();
            }
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = -1; // Netty refuses a Content-Length that is no number before any route runs
        }
        if (declared > limit) {
            tooLarge(c, limit, declared + " bytes");
        } else {
            c.next();
        }
    }

    /** A client error the router failed the request with; anything else goes on to Quarkus's error handler. */
    private void failed(RoutingContext c, long limit) {
        if (c.failure() instanceof HttpClosedException && c.response().ended()) {
            // the body handler's read stops when a 413 closes the connection: the answer is already out
            return;
        }
        int status = c.statusCode();
        if (status < 400 || status > 499 || c.response().headWritten() || c.response().ended()) {
            c.next();
        } else if (status == 413) {
            tooLarge(c, limit, "over " + limit + " bytes");
        } else if (status == 404) {
            send(c, problem(404, "nothing at " + c.request().path()));
        } else {
            send(c, problem(status, "the request was refused before it was read"
                    + (c.failure() != null && c.failure().getMessage() != null ? ": " + c.failure().getMessage() : "")));
        }
    }

    private void tooLarge(RoutingContext c, long limit, String size) {
        HttpServerResponse response = c.response();
        if (c.request().version() != HttpVersion.HTTP_2) {
            // an HTTP/2 stream ends alone; an HTTP/1 connection still carries the unread rest of the body
            response.putHeader(HttpHeaderNames.CONNECTION, "close");
            response.endHandler(v -> c.request().connection().close());
        }
        send(c, problem(413, "the body is " + size + "; at most " + limit + " bytes (" + readable(limit)
                + ") are accepted"));
    }

    private static Problem problem(int status, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return new Problem(Problem.TYPE_BASE + "http-" + status, known != null ? known.getReasonPhrase() : "Error", status,
                detail, null);
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

    /** {@code 1 MiB}, {@code 512 KiB}, {@code 100 bytes}. */
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
