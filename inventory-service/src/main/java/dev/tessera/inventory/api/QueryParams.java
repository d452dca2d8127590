package dev.tessera.inventory.api;

/**
 * Query parameters read by the resource, not by JAX-RS: a value JAX-RS cannot convert would be answered 404
 * (as the specification has it for query parameters), where a client needs a 400 naming the parameter.
 */
public final class QueryParams {

    private QueryParams() {
    }

    /** An integer from {@code min} to {@code max}; {@code fallback} when absent. */
    public static int integer(String field, String value, int fallback, int min, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // answered below like an out-of-range number
        }
        throw ApiException.invalid(field, "must be an integer from " + min + " to " + max);
    }
}
