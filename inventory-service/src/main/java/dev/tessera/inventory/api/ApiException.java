package dev.tessera.inventory.api;

import dev.tessera.rest.Problem;
import java.util.List;

/** A failure the client can act on; mapped to a problem document with its status. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ApiException(int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
        // No stack trace: these are answers to clients, not faults, and a refused reservation is common.
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = errors;
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "not-found", "Not found", what + " '" + id + "' does not exist", null);
    }

    /** {@code value} itself, or a 404 naming {@code what} and {@code id} when it is null (a find by id found nothing). */
    public static <T> T found(T value, String what, Object id) {
        if (value == null) {
            throw notFound(what, String.valueOf(id));
        }
        return value;
    }

    public static ApiException conflict(String slug, String detail) {
        return new ApiException(409, slug, "Conflict", detail, null);
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    public static ApiException invalid(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new ApiException(400, "validation", "Invalid request", detail, List.copyOf(errors));
    }

    public Problem toProblem() {
        return new Problem(Problem.TYPE_BASE + slug, title, status, getMessage(), errors);
    }

    public int status() {
        return status;
    }
}
