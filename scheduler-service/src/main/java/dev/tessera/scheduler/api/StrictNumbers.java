package dev.tessera.scheduler.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.util.AccessPattern;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Numbers are JSON numbers, and finite. Each case is refused (400 naming the field, see {@link JsonMistakes})
 * instead of being bent by Jackson's defaults:
 * <ul>
 * <li>{@code "shards": 1.5}: counts are whole numbers, not truncated to 1;</li>
 * <li>{@code "shards": "5"} or {@code ""}: a string is not a number, for whole and fractional fields alike;</li>
 * <li>{@code "parametersBillions": "NaN"}, {@code "Infinity"} or {@code 1e309} (which reads as infinity): no
 * figure the scheduler computes with may be infinite or not a number.</li>
 * </ul>
 */
@Singleton
public class StrictNumbers implements ObjectMapperCustomizer {

    public static final String NOT_FINITE = "must be a finite number";

    /** The refusal of a non-finite number; its path names the field. */
    public static final class NotFinite extends MismatchedInputException {
        NotFinite(JsonParser parser) {
            super(parser, NOT_FINITE);
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        SimpleModule module = new SimpleModule("strict-numbers");
        module.addDeserializer(Double.class, new Finite(Double.class, new NumberDeserializers.DoubleDeserializer(Double.class, null)));
        module.addDeserializer(Double.TYPE, new Finite(Double.TYPE, new NumberDeserializers.DoubleDeserializer(Double.TYPE, 0.0)));
        mapper.registerModule(module);
    }

    /**
     * Jackson's own double reading, then the finiteness check. Jackson reads the strings {@code "NaN"} and
     * {@code "Infinity"} as numbers whatever the coercion settings (JSON has no literal for them).
     */
    static final class Finite extends StdScalarDeserializer<Double> {

        private final JsonDeserializer<?> jackson;

        @SuppressWarnings({"unchecked", "rawtypes"})
        Finite(Class<?> type, JsonDeserializer<?> jackson) {
            super((Class) type);
            this.jackson = jackson;
        }

        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            Object value = jackson.deserialize(parser, context);
            if (value instanceof Double d && !Double.isFinite(d)) {
                throw new NotFinite(parser);
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
