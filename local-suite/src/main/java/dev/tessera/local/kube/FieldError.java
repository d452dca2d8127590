package dev.tessera.local.kube;

/**
 * One refusal of a field, shaped like a Kubernetes {@code StatusCause}.
 *
 * @param field   dotted path from the object root, e.g. {@code spec.minShards} or {@code spec.chips.allowed[1]}
 * @param reason  Kubernetes cause reason: {@code FieldValueRequired}, {@code FieldValueInvalid},
 *                {@code FieldValueNotSupported}, {@code FieldValueForbidden}, {@code FieldValueTypeInvalid}
 * @param message what a real API server says after the field, e.g. {@code Invalid value: 0: should be greater than or equal to 1}
 */
public record FieldError(String field, String reason, String message) {

    public static final String REQUIRED = "FieldValueRequired";
    public static final String INVALID = "FieldValueInvalid";
    public static final String NOT_SUPPORTED = "FieldValueNotSupported";
    public static final String FORBIDDEN = "FieldValueForbidden";
    public static final String TYPE_INVALID = "FieldValueTypeInvalid";

    /** The line kubectl prints for this cause. */
    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
