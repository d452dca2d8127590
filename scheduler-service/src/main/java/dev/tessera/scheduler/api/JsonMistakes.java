package dev.tessera.scheduler.api;

import dev.tessera.rest.JsonText;
import dev.tessera.rest.Problem;
import dev.tessera.rest.StrictJson;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A body Jackson could not read, said as a field error an API client understands: the field's JSON path and what it
 * must be in JSON's words ({@code "must be an integer, not the string \"high\""}), never a Java type or Jackson's
 * advice on coercion settings.
 */
final class JsonMistakes {


    private static final Pattern TOKEN = Pattern.compile("token `JsonToken\\.([A-Z_]+)`");
    private static final Pattern STRING = Pattern.compile("String value \\((?:\"(.*)\"\\) to |'(.*)'\\))", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("(?:Floating-point|Number|Integer) value \\((-?[0-9][0-9.eE+-]*)\\)");
    private static final Pattern BOOLEAN = Pattern.compile("Boolean value \\((true|false)\\)");
    private static final Pattern FROM = Pattern.compile("from (Array|Object|String|Integer|Floating-point|Boolean|Null) value");

    private JsonMistakes() {
    }

    /** A number as it stood in the body. */
    private record Literal(String text) {
    }

    static Problem.FieldError fieldError(JsonProcessingException e) {
        // a parser's complaint (a number too long or out of range, NaN) that databind wrapped on its way out
        JsonProcessingException core = e instanceof JsonMappingException && e.getCause() instanceof JsonProcessingException c
                && !(c instanceof JsonMappingException) ? c : e;
        String field = core == e ? null : parserPath(core);
        return new Problem.FieldError(field != null ? field : field(e), message(core));
    }

    /** {@code workload.parametersBillions}, {@code allowedChips[1]}; {@code body} for the body as a whole. */
    static String field(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    sb.append('[').append(r.getIndex()).append(']');
                }
            }
            if (sb.length() > 0) {
                return sb.toString();
            }
        }
        // a number out of range comes from the parser, without databind's path: the parser knows where it stood
        String path = e instanceof JsonMappingException ? null : parserPath(e);
        return path != null ? path : "body";
    }

    /** Where the parser stood, if it is known and short: a path a thousand levels deep names nothing a client can find. */
    private static String parserPath(JsonProcessingException e) {
        if (e.getProcessor() instanceof JsonParser p) {
            String path = path(p.getParsingContext());
            if (!path.isEmpty() && path.length() <= 200) {
                return path;
            }
        }
        return null;
    }

    private static String path(JsonStreamContext c) {
        StringBuilder sb = new StringBuilder();
        for (; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                sb.insert(0, c.getCurrentName()).insert(0, '.');
            } else if (c.inArray() && c.getCurrentIndex() >= 0) {
                sb.insert(0, "[" + c.getCurrentIndex() + "]");
            }
        }
        return sb.length() > 0 && sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
    }

    /** {@code The body is not valid JSON: ...} for a body that goes on after its JSON value, saying where. */
    static String trailingDetail(JsonProcessingException e) {
        return "The body is not valid JSON: there is content after the JSON value" + StrictJson.where(e)
                + "; send one JSON object and nothing after it.";
    }

    /** A field given twice in one object (STRICT_DUPLICATE_DETECTION), named by its path; null for anything else. */
    static Problem.FieldError duplicate(JsonProcessingException e) {
        JsonParseException p = e instanceof JsonParseException x ? x
                : e instanceof JsonMappingException && e.getCause() instanceof JsonParseException x ? x : null;
        if (p == null || !String.valueOf(p.getOriginalMessage()).startsWith("Duplicate field '")) {
            return null;
        }
        String field = parserPath(p);
        return new Problem.FieldError(field != null ? field : "body", "appears twice in the same object");
    }

    /**
     * The body is not JSON at all, found while a field was being read (databind then wraps the parser's complaint);
     * NaN and Infinity written as bare words are a number that is not finite, said as for that field.
     */
    static JsonParseException malformed(JsonProcessingException e) {
        JsonParseException p = e instanceof JsonParseException x ? x
                : e instanceof JsonMappingException && e.getCause() instanceof JsonParseException x ? x : null;
        return p == null || nonFinite(p) ? null : p;
    }

    private static boolean nonFinite(JsonParseException p) {
        return String.valueOf(p.getOriginalMessage()).startsWith("Non-standard token");
    }

    /** A parser's complaint without Jackson's advice on its settings ({@code enable `JsonReadFeature...` to allow}). */
    static String parserMessage(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        m = m.replaceAll("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
        for (Map.Entry<String, String> t : TOKEN_WORDS.entrySet()) {
            m = m.replace(t.getKey(), t.getValue());
        }
        return m.replaceAll("[:;,]?\\s*(?:enable|use) `[^`]*`[^.;)]*", "").replace("`", "'").strip();
    }

    /** Jackson's token names, as its parser messages use them ({@code Unexpected end-of-input in VALUE_STRING}). */
    private static final Map<String, String> TOKEN_WORDS = Map.of("VALUE_STRING", "a string", "FIELD_NAME", "a field name",
            "VALUE_NUMBER_INT", "an integer", "VALUE_NUMBER_FLOAT", "a number", "START_OBJECT", "an object",
            "START_ARRAY", "an array", "END_OBJECT", "the end of an object", "END_ARRAY", "the end of an array");

    static String message(JsonProcessingException e) {
        if (e instanceof StrictNumbers.NotFinite || e instanceof JsonParseException p && nonFinite(p)) {
            return StrictNumbers.NOT_FINITE;
        }
        if (e instanceof InputCoercionException c) {
            return "must be " + expected(c.getTargetType()) + range(c.getTargetType());
        }
        if (e instanceof StreamConstraintsException) {
            // "Number value length (2000) exceeds the maximum allowed (1000, from `StreamReadConstraints...`)"
            String m = String.valueOf(e.getOriginalMessage()).replaceAll(", from `[^`]*`", "").replace("`", "'");
            return m.isEmpty() ? "cannot be read" : Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        if (e instanceof PropertyBindingException b) {
            return "is not a field of this request";
        }
        if (e instanceof InvalidFormatException f) {
            // a number as the client wrote it (1e2), not as Jackson read it (100.0)
            Object written = found(String.valueOf(f.getOriginalMessage()));
            return "must be " + expected(f.getTargetType()) + given(written instanceof Literal ? written : f.getValue());
        }
        if (e instanceof MismatchedInputException m) {
            String original = String.valueOf(m.getOriginalMessage());
            if (original.startsWith("No content to map")) {
                return "must not be empty: send a JSON object";
            }
            return "must be " + expected(m.getTargetType()) + given(found(original));
        }
        return "cannot be read";
    }

    /** What the target type is in JSON, with its article. */
    static String expected(Class<?> t) {
        if (t == null) {
            return "a valid value";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class || t == Short.class || t == short.class
                || t == Byte.class || t == byte.class || t == BigInteger.class) {
            return "an integer";
        }
        if (t == Double.class || t == double.class || t == Float.class || t == float.class || t == BigDecimal.class
                || t == Number.class) {
            return "a number";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(t) || t == Character.class || t == char.class) {
            return "a string";
        }
        if (t.isEnum()) {
            return "one of " + Arrays.stream(t.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (t == LocalDate.class) {
            return "a date (YYYY-MM-DD)";
        }
        if (Temporal.class.isAssignableFrom(t)) {
            return "a date and time (ISO 8601)";
        }
        if (t.isArray() || Collection.class.isAssignableFrom(t)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord() || !t.isPrimitive()) {
            return "an object";
        }
        return "a valid value";
    }

    private static String range(Class<?> t) {
        if (t == Integer.class || t == int.class) {
            return " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (t == Long.class || t == long.class) {
            return " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        return "";
    }

    /** {@code ", not the string \"high\""}, {@code ", not 1.5"}, {@code ", not an array"}; empty when unknown. */
    private static String given(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof JsonToken t) {
            return switch (t) {
                case START_ARRAY -> ", not an array";
                case START_OBJECT, FIELD_NAME -> ", not an object";
                case VALUE_TRUE -> ", not true";
                case VALUE_FALSE -> ", not false";
                case VALUE_NULL -> ", not null";
                case VALUE_STRING -> ", not a string";
                case VALUE_NUMBER_INT -> ", not an integer";
                case VALUE_NUMBER_FLOAT -> ", not a number with a fraction";
                default -> "";
            };
        }
        if (value instanceof String s) {
            return ", not the string " + JsonText.quoted(s);
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Literal) {
            String text = value instanceof Literal l ? l.text() : value.toString();
            return text.length() > JsonText.QUOTED ? "" : ", not " + text;
        }
        return "";
    }

    /** The value or kind of JSON value found where another was expected: Jackson names it in its message. */
    private static Object found(String original) {
        Matcher m = STRING.matcher(original);
        if (m.find()) {
            return m.group(1) != null ? m.group(1) : m.group(2);
        }
        m = TOKEN.matcher(original);
        if (m.find()) {
            try {
                return JsonToken.valueOf(m.group(1));
            } catch (IllegalArgumentException ignored) {
                // fall through to the kind of value the message names
            }
        }
        m = NUMBER.matcher(original);
        if (m.find()) {
            return new Literal(m.group(1));
        }
        m = BOOLEAN.matcher(original);
        if (m.find()) {
            return Boolean.valueOf(m.group(1));
        }
        m = FROM.matcher(original);
        if (m.find()) {
            return switch (m.group(1)) {
                case "Array" -> JsonToken.START_ARRAY;
                case "Object" -> JsonToken.START_OBJECT;
                case "String" -> JsonToken.VALUE_STRING;
                case "Integer" -> JsonToken.VALUE_NUMBER_INT;
                case "Floating-point" -> JsonToken.VALUE_NUMBER_FLOAT;
                case "Boolean" -> null;
                case "Null" -> JsonToken.VALUE_NULL;
                default -> null;
            };
        }
        return null;
    }
}
