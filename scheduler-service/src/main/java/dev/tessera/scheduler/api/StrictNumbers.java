package dev.tessera.scheduler.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.tessera.rest.FiniteDoubles;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

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

    public static final String NOT_FINITE = FiniteDoubles.NOT_FINITE;

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
        mapper.registerModule(FiniteDoubles.module(NotFinite::new));
    }
}
