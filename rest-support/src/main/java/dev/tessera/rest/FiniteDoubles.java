package dev.tessera.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.util.AccessPattern;
import java.io.IOException;
import java.util.function.Function;

/**
 * Doubles read by Jackson's own reader, then checked to be finite: Jackson reads the strings {@code "NaN"} and
 * {@code "Infinity"} as numbers whatever the coercion settings (JSON has no literal for them), and {@code 1e309} as
 * infinity. A non-finite value is refused with the exception {@code refusal} makes of the parser standing on it, so
 * that its path names the field.
 */
public final class FiniteDoubles {

    public static final String NOT_FINITE = "must be a finite number";

    private FiniteDoubles() {
    }

    /** A Jackson module reading {@code Double} and {@code double} this way. */
    public static SimpleModule module(Function<JsonParser, ? extends MismatchedInputException> refusal) {
        SimpleModule module = new SimpleModule("finite-doubles");
        module.addDeserializer(Double.class, new Finite(Double.class,
                new NumberDeserializers.DoubleDeserializer(Double.class, null), refusal));
        module.addDeserializer(Double.TYPE, new Finite(Double.TYPE,
                new NumberDeserializers.DoubleDeserializer(Double.TYPE, 0.0), refusal));
        return module;
    }

    static final class Finite extends StdScalarDeserializer<Double> {

        private final JsonDeserializer<?> jackson;
        private final Function<JsonParser, ? extends MismatchedInputException> refusal;

        @SuppressWarnings({"unchecked", "rawtypes"})
        Finite(Class<?> type, JsonDeserializer<?> jackson, Function<JsonParser, ? extends MismatchedInputException> refusal) {
            super((Class) type);
            this.jackson = jackson;
            this.refusal = refusal;
        }

        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            Object value = jackson.deserialize(parser, context);
            if (value instanceof Double d && !Double.isFinite(d)) {
                throw refusal.apply(parser);
            }
            return (Double) value;
        }

        @Override
        public Double getNullValue(DeserializationContext context) throws JsonMappingException {
            return (Double) jackson.getNullValue(context);
        }

        @Override
        public Object getEmptyValue(DeserializationContext context) throws JsonMappingException {
            return jackson.getEmptyValue(context);
        }

        @Override
        public AccessPattern getNullAccessPattern() {
            return jackson.getNullAccessPattern();
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Float;
        }
    }
}
