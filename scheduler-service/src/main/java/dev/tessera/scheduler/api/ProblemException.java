package dev.tessera.scheduler.api;

import dev.tessera.rest.Problem;
import java.util.List;

/** A client-facing failure with its problem type; mapped in one place by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    /** Field errors spelled out in {@code detail}; all of them are in {@code errors}. */
    private static final int DETAILED_ERRORS = 5;

    private final int status;
    private final String type;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ProblemException(int status, String type, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = errors;
    }

    public static ProblemException validation(List<Problem.FieldError> errors) {
        return new ProblemException(400, "validation", "Invalid request", detail(errors), errors);
    }

    /** The field errors in one sentence, for clients (and the operator's conditions) that show only {@code detail}. */
    private static String detail(List<Problem.FieldError> errors) {
        StringBuilder sb = new StringBuilder("The request has " + errors.size() + " invalid field" + (errors.size() == 1 ? "" : "s"));
        for (int i = 0; i < errors.size() && i < DETAILED_ERRORS; i++) {
            Problem.FieldError e = errors.get(i);
            sb.append(i == 0 ? ": " : "; ").append(e.field()).append(' ').append(e.message());
        }
        if (errors.size() > DETAILED_ERRORS) {
            sb.append("; and ").append(errors.size() - DETAILED_ERRORS).append(" more (see errors)");
        }
        return sb.append('.').toString();
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail, null);
    }

    public static ProblemException conflict(String type, String detail) {
        return new ProblemException(409, type, "Conflict", detail, null);
    }

    public Problem problem() {
        return new Problem(Problem.TYPE_BASE + type, title, status, getMessage(), errors);
    }

    public int status() {
        return status;
    }
}
