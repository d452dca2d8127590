package dev.tessera.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 9457 problem document, as every Tessera service answers an error; {@code errors} names the fields a validation failure is about. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://tessera.dev/problems/";

    public record FieldError(String field, String message) {
    }
}
