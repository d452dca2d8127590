package dev.tessera.inventory.api;

import dev.tessera.rest.JsonText;
import dev.tessera.rest.Problem;
import dev.tessera.rest.StrictJson;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A body Jackson could not read, said as a field error: the field's path ({@code lines[0].quantity}) and what it
 * must be in JSON's words ({@code must be an integer, not the string "5"}), never a Java type or Jackson's advice on
 * its settings.
 */
final class JsonMistakes {


    /** {@code String value ("5")} in Jackson's coercion complaint. */
    private static final Pattern STRING_VALUE = Pattern.compile("String value \\(\"(.*)\"\\) to ", Pattern.DOTALL);

    /** {@code (token `JsonToken.START_ARRAY`)} in Jackson's complaint about a value of the wrong kind. */
    private static final Pattern TOKEN = Pattern.compile("token `JsonToken\\.([A-Z_]+)`");

    private JsonMistakes() {
    }

    static Problem.FieldError fieldError(JsonProcessingException e, Validator validator) {
        // a parser's complaint (NaN, a number out of range) that databind may have wrapped on its way out
        JsonProcessingException core = e instanceof JsonMappingException && e.getCause() instanceof JsonProcessingException c
                && !(c instanceof JsonMappingException) ? c : e;
        if (core instanceof JsonParseException p && nonNumericToken(p) != null) {
            // bare NaN or Infinity: the parser stood on the field's value, so its context names the field
            String field = parserPath(p);
            return new Problem.FieldError(field != null ? field : field(e), StrictNumbers.NOT_FINITE + ", not " + nonNumericToken(p));
        }
        if (core instanceof InputCoercionException c) {
            return new Problem.FieldError(field(e), outOfRange(e, c, validator));
        }
        if (core instanceof JsonParseException p && String.valueOf(p.getOriginalMessage()).startsWith("Duplicate field '")) {
            String field = parserPath(p);
            return new Problem.FieldError(field != null ? field : "body", "appears twice in the same object");
        }
        if (StrictJson.trailing(core)) {
            return new Problem.FieldError("body", "has content after its JSON value" + StrictJson.where(core)
                    + "; send one JSON value and nothing after it");
        }
        return new Problem.FieldError(field(e), message(e));
    }

    /** {@code lines[0].chip}; {@code body} for the body as a whole. */
    static String field(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        return "body";
    }

    private static String message(JsonProcessingException e) {
        if (e instanceof StrictText.NulInText) {
            return StrictText.MESSAGE;
        }
        if (e instanceof StrictNumbers.NotFinite || e instanceof LenientDate.NotADate) {
            return e.getOriginalMessage();
        }
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = new ArrayList<>();
            u.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            known.sort(null);
            return "is not a field of this object; its fields are " + String.join(", ", known);
        }
        if (e instanceof InvalidFormatException f) {
            return "must be " + describe(f.getTargetType()) + given(f.getValue());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null && scalar(m.getTargetType())) {
            // a coercion refused (a string for a number) or a value of the wrong kind (an array for a number)
            return "must be " + describe(m.getTargetType()) + found(m);
        }
        return "malformed JSON: " + e.getOriginalMessage();
    }

    private static boolean scalar(Class<?> type) {
        return type.isPrimitive() || type.isEnum() || Number.class.isAssignableFrom(type) || type == Boolean.class
                || type == String.class || type == java.time.LocalDate.class;
    }

    /**
     * What the client sent instead, as Jackson's message names it: the parser that stood on the value is closed by
     * the time the failure is answered, and holds neither its token nor its text.
     */
    private static String found(MismatchedInputException m) {
        String original = String.valueOf(m.getOriginalMessage());
        Matcher string = STRING_VALUE.matcher(original);
        if (string.find()) {
            return given(string.group(1));
        }
        Matcher token = TOKEN.matcher(original);
        if (!token.find()) {
            return "";
        }
        return switch (token.group(1)) {
            case "VALUE_STRING" -> ", not a string";
            case "VALUE_NUMBER_INT", "VALUE_NUMBER_FLOAT" -> ", not a number";
            case "VALUE_TRUE" -> ", not true";
            case "VALUE_FALSE" -> ", not false";
            case "START_ARRAY" -> ", not an array";
            case "START_OBJECT", "FIELD_NAME" -> ", not an object";
            default -> "";
        };
    }

    /**
     * An integer past what its Java type holds (Jackson's "out of range of int"): answered with the field's own limit,
     * as Bean Validation words it for a number just past that limit, not with the Java type's range.
     */
    private static String outOfRange(JsonProcessingException e, InputCoercionException c, Validator validator) {
        Class<?> target = c.getTargetType();
        boolean isLong = target == Long.class || target == long.class;
        Object min = isLong ? (Object) Long.MIN_VALUE : (Object) Integer.MIN_VALUE;
        Object max = isLong ? (Object) Long.MAX_VALUE : (Object) Integer.MAX_VALUE;
        // the parser is closed by now, so its text is gone; Jackson's message quotes the number
        String original = String.valueOf(c.getOriginalMessage());
        Boolean negative = original.startsWith("Numeric value (") ? original.startsWith("Numeric value (-") : null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            JsonMappingException.Reference at = m.getPath().get(m.getPath().size() - 1);
            Object from = at.getFrom();
            Class<?> bean = from instanceof Class<?> k ? k : from != null ? from.getClass() : null;
            if (bean != null && at.getFieldName() != null) {
                try {
                    List<String> messages = new ArrayList<>();
                    for (Object extreme : negative == null ? List.of(min, max) : List.of(negative ? min : max)) {
                        validator.validateValue(bean, at.getFieldName(), extreme).stream()
                                .map(ConstraintViolation::getMessage).sorted().forEach(messages::add);
                    }
                    if (!messages.isEmpty()) {
                        return String.join("; ", messages);
                    }
                } catch (RuntimeException ignored) {
                    // not a validated property: the type's own range below
                }
            }
        }
        return "must be an integer from " + min + " to " + max;
    }

    /** The word of a bare NaN or Infinity the parser refused; null for any other complaint. */
    private static String nonNumericToken(JsonParseException p) {
        String m = String.valueOf(p.getOriginalMessage());
        if (!m.startsWith("Non-standard token '")) {
            return null;
        }
        int end = m.indexOf('\'', "Non-standard token '".length());
        return end < 0 ? "NaN or Infinity" : m.substring("Non-standard token '".length(), end);
    }

    /** Where the parser stood, if known and short: a path a thousand levels deep names nothing a client can find. */
    private static String parserPath(JsonProcessingException e) {
        if (!(e.getProcessor() instanceof JsonParser p)) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                sb.insert(0, c.getCurrentName()).insert(0, '.');
            } else if (c.inArray() && c.getCurrentIndex() >= 0) {
                sb.insert(0, "[" + c.getCurrentIndex() + "]");
            }
        }
        String path = sb.length() > 0 && sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
        return path.isEmpty() || path.length() > 200 ? null : path;
    }

    /** What a Java type is in JSON, with its article. */
    static String describe(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                names.add(c.toString());
            }
            return "one of " + names;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == BigDecimal.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return switch (type.getSimpleName()) {
            case "String" -> "a string";
            case "LocalDate" -> "a date (YYYY-MM-DD)";
            default -> type.getSimpleName();
        };
    }

    /** {@code , not the string "5"}, {@code , not 1.5}; empty when there is nothing to show. */
    static String given(Object value) {
        if (value instanceof String s) {
            return ", not the string " + JsonText.quoted(s);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return givenLiteral(value.toString());
        }
        return "";
    }

    /** A JSON literal as the client wrote it ({@code 1e309}), unless too long to echo. */
    static String givenLiteral(String text) {
        return text == null || text.length() > JsonText.QUOTED ? "" : ", not " + text;
    }

}
