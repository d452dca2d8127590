package dev.tessera.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Problem documents for the refusals the HTTP layer makes before a request reaches JAX-RS (and so a service's
 * exception mappers), which Quarkus answers with a bare status. A service installs it on its router at start
 * ({@code void routes(@Observes Router router)}) with its own {@link Wording}:
 * <ul>
 * <li>413, a body over {@code quarkus.http.limits.max-body-size}. With a {@code Content-Length} the route answers just
 * before Quarkus's own check would. A chunked HTTP/1 body (no length) is read here by Vert.x's body handler with the
 * same limit, which fails the request with 413 once the body passes it; otherwise RESTEasy Reactive would count it
 * while JAX-RS reads it and write its bare 413 itself, mid-read (as it still does for an HTTP/2 body without a
 * length: RESTEasy Reactive cannot take an HTTP/2 request whose body was read before it). Either way the rest of the
 * body is not read: an HTTP/1 connection closes once the answer is out, as with Quarkus's own 413.</li>
 * <li>other client errors the router fails a request with (a request without {@code Host}, a path nothing serves):
 * the failure handler gives them a body.</li>
 * </ul>
 * Not reachable: 414 (request line over {@code quarkus.http.limits.max-initial-line-length}), 431 (headers over
 * {@code max-header-size}) and 400 for a request Netty's HTTP codec cannot parse. Vert.x answers those from its HTTP
 * server's invalid-request handler, before any route runs, and Quarkus neither sets that handler nor lets the
 * application reach the server to set it.
 */
public final class HttpLayerProblems {

    /** How a service words these refusals, each in its own style. */
    public interface Wording {
        /** A body over {@code limit} bytes: {@code declared} is its {@code Content-Length}, or -1 for a body sent without one. */
        Problem tooLarge(long limit, long declared);

        /** A path nothing serves. */
        Problem notFound(String path);

        /** Any other client error the router failed the request with; {@code failure} may be null. */
        Problem refused(int status, Throwable failure);
    }

    private final long limit;
    private final ObjectMapper mapper;
    private final Wording wording;
    private final BodyHandler chunked;

    private HttpLayerProblems(long limit, ObjectMapper mapper, Wording wording) {
        this.limit = limit;
        this.mapper = mapper;
        this.wording = wording;
        this.chunked = BodyHandler.create(false).setBodyLimit(limit);
    }

    /** Adds the route, just before Quarkus's own body-size check, for bodies of at most {@code maxBodySize} bytes. */
    public static void install(Router router, long maxBodySize, ObjectMapper mapper, Wording wording) {
        HttpLayerProblems problems = new HttpLayerProblems(maxBodySize, mapper, wording);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(problems::bodySize)
                .failureHandler(problems::failed);
    }

    private void bodySize(RoutingContext c) {
        String length = c.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            // only an HTTP/1 body sent without its length is read here (up to the limit)
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
            tooLarge(c, declared);
        } else {
            c.next();
        }
    }

    /** A client error the router failed the request with; anything else goes on to Quarkus's error handler. */
    private void failed(RoutingContext c) {
        if (c.failure() instanceof HttpClosedException && c.response().ended()) {
            // the body handler's read stops when a 413 closes the connection: the answer is already out
            return;
        }
        int status = c.statusCode();
        if (status < 400 || status > 499 || c.response().headWritten() || c.response().ended()) {
            c.next();
        } else if (status == 413) {
            tooLarge(c, -1);
        } else if (status == 404) {
            send(c, wording.notFound(c.request().path()));
        } else {
            send(c, wording.refused(status, c.failure()));
        }
    }

    private void tooLarge(RoutingContext c, long declared) {
        HttpServerResponse response = c.response();
        if (c.request().version() != HttpVersion.HTTP_2) {
            // an HTTP/2 stream ends alone; an HTTP/1 connection still carries the unread rest of the body
            response.putHeader(HttpHeaderNames.CONNECTION, "close");
            response.endHandler(v -> c.request().connection().close());
        }
        send(c, wording.tooLarge(limit, declared));
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

    /** {@code 10 MiB}, {@code 512 KiB}, {@code 100 bytes}. */
    public static String readable(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }
}
