package dev.tessera.scheduler.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tessera.scheduler.ledger.LedgerAlreadySyncedException;
import dev.tessera.scheduler.ledger.LedgerUnsyncedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place exceptions become {@code application/problem+json}; nothing leaks a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ConfigProperty(name = "tessera.ledger.retry-after-seconds", defaultValue = "5")
    int retryAfterSeconds;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response unsynced(LedgerUnsyncedException e) {
        Problem p = new Problem(Problem.TYPE_BASE + "ledger-unsynced", "Ledger not synced", 503, e.getMessage(), null);
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", retryAfterSeconds).entity(p).build();
    }

    @ServerExceptionMapper
    public Response alreadySynced(LedgerAlreadySyncedException e) {
        return respond(new Problem(Problem.TYPE_BASE + "ledger-synced", "Ledger already synced", 409, e.getMessage(), null));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(field(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field));
        return respond(ProblemException.validation(errors).problem());
    }

    @ServerExceptionMapper
    public Response unreadable(MismatchedInputException e) {
        return jackson(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonParseException e) {
        return jackson(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return jackson(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException j) {
            return jackson(j);
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
        return respond(new Problem(Problem.TYPE_BASE + (status == 404 ? "not-found" : "http-" + status), title, status,
                e.getMessage(), null));
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return unauthorized("The bearer token is not valid: wrong signature or issuer, expired or malformed.");
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return unauthorized("This call needs a bearer token.");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(new Problem(Problem.TYPE_BASE + "forbidden", "Forbidden", 403,
                "The token's roles do not allow this call.", null));
    }

    private static Response unauthorized(String detail) {
        Problem p = new Problem(Problem.TYPE_BASE + "unauthorized", "Unauthorized", 401, detail, null);
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer").entity(p).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return respond(new Problem(Problem.TYPE_BASE + "internal", "Internal error", 500,
                "The scheduler failed unexpectedly; the failure is logged.", null));
    }

    /** A body Jackson could not read: one field error in the client's words (see {@link JsonMistakes}). */
    private Response jackson(JsonProcessingException e) {
        JsonParseException malformed = JsonMistakes.malformed(e);
        if (malformed != null) {
            return respond(new Problem(Problem.TYPE_BASE + "malformed-json", "Malformed JSON", 400,
                    "The body is not valid JSON: " + JsonMistakes.parserMessage(malformed), null));
        }
        return respond(ProblemException.validation(List.of(JsonMistakes.fieldError(e))).problem());
    }

    /** {@code place.request.shards} → {@code shards}: the method and parameter names mean nothing to a client. */
    static String field(Path path) {
        List<String> parts = new ArrayList<>();
        for (Path.Node n : path) {
            String name = n.getName();
            if (n.getKind() == jakarta.validation.ElementKind.METHOD || n.getKind() == jakarta.validation.ElementKind.PARAMETER) {
                continue;
            }
            if (n.getIndex() != null && !parts.isEmpty()) {
                int last = parts.size() - 1;
                parts.set(last, parts.get(last) + "[" + n.getIndex() + "]");
            }
            if (name != null && !name.startsWith("<")) {
                parts.add(name);
            }
        }
        return parts.isEmpty() ? "body" : String.join(".", parts);
    }

    private static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }
}
