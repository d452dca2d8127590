package dev.tessera.scheduler.api;

import dev.tessera.rest.Problem;
import dev.tessera.rest.StrictJson;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.tessera.scheduler.ledger.LedgerAlreadySyncedException;
import dev.tessera.scheduler.ledger.LedgerUnsyncedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place exceptions become {@code application/problem+json}; nothing leaks a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** Roles of the caller's token a 403 names at most. */
    private static final int HELD_ROLES = 5;

    @ConfigProperty(name = "tessera.ledger.retry-after-seconds", defaultValue = "5")
    int retryAfterSeconds;

    @Inject
    SecurityIdentity identity;

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
    public Response web(WebApplicationException e, Request request) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException j) {
            return jackson(j);
        }
        Response.ResponseBuilder answer = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(Problem.TYPE_BASE + (status == 404 ? "not-found" : "http-" + status), title(status), status,
                        webDetail(status, request == null ? null : request.getMethod(), e.getMessage()), null));
        if (e.getResponse() != null && e.getResponse().getHeaderString(HttpHeaders.ALLOW) != null) {
            answer.header(HttpHeaders.ALLOW, e.getResponse().getHeaderString(HttpHeaders.ALLOW));
        }
        return answer.build();
    }

    static String title(int status) {
        Response.Status s = Response.Status.fromStatusCode(status);
        return s == null ? "Error" : s.getReasonPhrase();
    }

    /** JAX-RS's own refusals in the service's words: its texts name annotations ({@code @Produces}) or only repeat the status. */
    private static String webDetail(int status, String method, String given) {
        return switch (status) {
            case 404 -> "Nothing is found at this path.";
            case 405 -> method == null ? "This path does not take this method." : "This path does not take " + method + ".";
            case 406 -> "This call answers application/json (application/problem+json for errors); the Accept header allows neither.";
            case 415 -> "The body must be JSON, sent with Content-Type: application/json.";
            default -> given;
        };
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return unauthorized("The bearer token is not valid: wrong signature or issuer, expired or malformed.");
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, ResourceInfo resource) {
        String needs = needs(resource);
        return unauthorized(needs == null ? "This call needs a bearer token."
                : "This call needs a bearer token with " + needs + ".");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ResourceInfo resource) {
        String needs = needs(resource);
        return respond(new Problem(Problem.TYPE_BASE + "forbidden", "Forbidden", 403,
                (needs == null ? "The token's roles do not allow this call" : "This call needs " + needs) + "; the token holds "
                        + held() + ".", null));
    }

    /** {@code the operator role}, {@code the viewer or operator role (planner and admin include viewer)}; null when unknown. */
    static String needs(ResourceInfo resource) {
        RolesAllowed allowed = null;
        if (resource != null && resource.getResourceMethod() != null) {
            allowed = resource.getResourceMethod().getAnnotation(RolesAllowed.class);
            if (allowed == null && resource.getResourceClass() != null) {
                allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
            }
        }
        if (allowed == null || allowed.value().length == 0) {
            return null;
        }
        List<String> roles = new ArrayList<>(List.of(allowed.value()));
        boolean inherited = roles.containsAll(List.of(Roles.VIEWER, Roles.PLANNER, Roles.ADMIN));
        if (inherited) {
            roles.removeAll(List.of(Roles.PLANNER, Roles.ADMIN));
        }
        return "the " + or(roles) + " role" + (inherited ? " (planner and admin include viewer)" : "");
    }

    /** The token's roles, as a 403 names them: {@code the viewer role}, {@code the planner and scheduler roles}, {@code no role}. */
    private String held() {
        List<String> roles = identity == null || identity.isAnonymous() ? List.of() : identity.getRoles().stream().sorted().toList();
        if (roles.isEmpty()) {
            return "no role";
        }
        if (roles.size() > HELD_ROLES) {
            return "the roles " + String.join(", ", roles.subList(0, HELD_ROLES)) + " and " + (roles.size() - HELD_ROLES) + " more";
        }
        return "the " + and(roles) + (roles.size() == 1 ? " role" : " roles");
    }

    private static String or(List<String> words) {
        return words.size() == 1 ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    private static String and(List<String> words) {
        return words.size() == 1 ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
    }

    /**
     * The body could not be read to its end: the client closed the connection on the way, or sent a chunked body over
     * the size limit (which Quarkus has already answered with a bare 413 and closed). The client's doing, not a failure
     * of the scheduler: no 500, no error in the log.
     */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e, HttpServerResponse response) {
        LOG.debugf("request body not read: %s", e.getMessage());
        if (response != null && (response.ended() || response.headWritten())) {
            return null;
        }
        return respond(new Problem(Problem.TYPE_BASE + "unreadable-body", "Bad Request", 400,
                "The body could not be read to its end; send it again whole.", null));
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
        if (StrictJson.trailing(e)) {
            return respond(new Problem(Problem.TYPE_BASE + "malformed-json", "Malformed JSON", 400, JsonMistakes.trailingDetail(e),
                    null));
        }
        Problem.FieldError twice = JsonMistakes.duplicate(e);
        if (twice != null) {
            return respond(ProblemException.validation(List.of(twice)).problem());
        }
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
