package dev.tessera.inventory.api;

import dev.tessera.rest.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where failures become {@code application/problem+json}; no stack trace ever leaves. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @Inject
    Validator validator;

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return respond(e.toProblem());
    }

    @ServerExceptionMapper(priority = 1)
    public Response validation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .collect(Collectors.toList());
        return respond(ApiException.invalid(errors).toProblem());
    }

    @ServerExceptionMapper(priority = 1)
    public Response unreadable(JsonProcessingException e) {
        return respond(ApiException.invalid(List.of(JsonMistakes.fieldError(e, validator))).toProblem());
    }

    // Quarkus maps these Jackson subtypes itself with a plain JSON body; the specific types win.
    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response invalidFormat(InvalidFormatException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response web(WebApplicationException e, jakarta.ws.rs.core.UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException j) {
            return unreadable(j);
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        String detail = e.getMessage() != null ? e.getMessage() : title;
        if (status == 404 && detail.equals("HTTP 404 Not Found")) {
            // no route matched, or a path id that is no number: say which path, not just the status again
            detail = "nothing at " + uri.getPath() + " (ids in paths are numbers)";
        }
        return respond(new Problem(Problem.TYPE_BASE + "http-" + status, title, status, detail, null));
    }

    // Missing or unverifiable token: 401 with a Bearer challenge (proactive auth is off so these reach here).
    @ServerExceptionMapper(priority = 1)
    public Response unauthenticated(io.quarkus.security.AuthenticationFailedException e) {
        return unauthorized("the bearer token is not valid: wrong signature or issuer, expired or malformed");
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthorizedCall(io.quarkus.security.UnauthorizedException e) {
        return unauthorized("this call needs a bearer token");
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return respond(new Problem(Problem.TYPE_BASE + "forbidden", "Forbidden", 403,
                "the token's roles do not allow this call", null));
    }

    private static Response unauthorized(String detail) {
        Problem p = new Problem(Problem.TYPE_BASE + "unauthorized", "Unauthorized", 401, detail, null);
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer").entity(p).build();
    }

    @ServerExceptionMapper
    public Response optimistic(OptimisticLockException e) {
        return respond(ApiException.conflict("concurrent-change", "the record changed concurrently; retry").toProblem());
    }

    @ServerExceptionMapper
    public Response persistence(PersistenceException e) {
        SQLException sql = sqlCause(e);
        // Integrity violations (class 23) are the database refusing a write the checks let through.
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
            return respond(ApiException.conflict("integrity", "the change conflicts with stored data").toProblem());
        }
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
            // Data exceptions (class 22): a number too large for its column, and the like. The database's reason
            // is passed on, never its statement (a batch's message quotes the SQL).
            LOG.warnf("a value could not be stored, answering 400: %s", sql.getMessage());
            return respond(ApiException.invalid("body", "a value could not be stored: " + databaseReason(sql)).toProblem());
        }
        if (sql != null && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
            return respond(ApiException.conflict("concurrent-change", "the change collided with another; retry").toProblem());
        }
        if (databaseUnavailable(e)) {
            return unavailable(e);
        }
        if (e.getMessage() != null && e.getMessage().contains("acquisition timeout")) {
            // Every database connection is busy: the client may retry shortly.
            Problem p = new Problem(Problem.TYPE_BASE + "busy", "Service busy", 503,
                    "no database connection became free in time; retry", null);
            return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "1").entity(p).build();
        }
        return unexpected(e);
    }

    // A Content-Type header that is not a media type fails inside Quarkus REST's content negotiation.
    @ServerExceptionMapper(priority = 1)
    public Response illegalArgument(IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("Failed to parse media type")) {
            return respond(ApiException.invalid("Content-Type", "not a media type").toProblem());
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        // A failed commit or rollback reaches here wrapped in transaction exceptions rather than as a PersistenceException.
        if (databaseUnavailable(e)) {
            return unavailable(e);
        }
        LOG.error("unexpected failure", e);
        return respond(new Problem(Problem.TYPE_BASE + "internal", "Internal error", 500,
                "the request could not be completed", null));
    }

    /**
     * The database cannot be reached or went away mid-request (SQLState class 08, or PostgreSQL shutting down:
     * 57P01-57P03). The client may retry: the transaction was rolled back, or, when the connection broke during
     * the commit itself, its outcome is unknown to the service too, which is what a receipt's Idempotency-Key
     * is for: retried with its key, it counts once either way.
     */
    public static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P0"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static Response unavailable(Throwable e) {
        SQLException sql = sqlCause(e);
        LOG.warnf("database unavailable, answering 503: %s", sql == null ? e.getMessage() : sql.getMessage());
        Problem p = new Problem(Problem.TYPE_BASE + "database-unavailable", "Service unavailable", 503,
                "the database is unavailable; retry shortly", null);
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "2").entity(p).build();
    }

    private static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    /** The database server's own reason (e.g. "numeric field overflow"), without the statement it refused. */
    private static String databaseReason(SQLException sql) {
        for (SQLException s = sql; s != null; s = s.getNextException()) {
            if (s instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                    && p.getServerErrorMessage().getMessage() != null) {
                return p.getServerErrorMessage().getMessage();
            }
        }
        return "SQLState " + sql.getSQLState();
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    /** Drops the method and parameter names, keeping the path inside the request: {@code lines[0].chip}. */
    public static String fieldOf(ConstraintViolation<?> v) {
        int skip = 0;
        String parameter = null;
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                skip++;
            } else if (node.getKind() == ElementKind.PARAMETER) {
                skip++;
                parameter = node.getName();
            } else {
                break;
            }
        }
        String path = v.getPropertyPath().toString();
        for (int i = 0; i < skip; i++) {
            int dot = path.indexOf('.');
            path = dot < 0 ? "" : path.substring(dot + 1);
        }
        // an element of a list is named by its index alone: lines[2], not lines[2].<list element>
        path = path.replaceAll("\\.<[a-z ]+>", "");
        return !path.isEmpty() ? path : parameter != null ? parameter : "body";
    }
}
