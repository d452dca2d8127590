package dev.tessera.inventory.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.tessera.rest.FiniteDoubles;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Numbers are JSON numbers, and finite; each case below is refused (400 naming the field, see {@link JsonMistakes})
 * instead of being bent by Jackson's defaults:
 * <ul>
 * <li>{@code "quantity": 1.5}: counts are whole numbers, not truncated to 1;</li>
 * <li>{@code "quantity": "5"} or {@code ""}: a string is not a number (Jackson coerces scalars unless told not to);
 * nor is a number a string ({@code "note": 5}) or an enum constant ({@code "to": 1}, read as the second state);</li>
 * <li>{@code "h100Equivalent": NaN} or {@code "NaN"}, {@code "Infinity"}, {@code 1e309}: the parser refuses the bare
 * words (JSON has none), but Jackson reads the strings as non-finite doubles whatever the coercion settings, and a
 * literal past the double range as infinity; so every double read is checked here.</li>
 * </ul>
 */
@Singleton
public class StrictNumbers implements ObjectMapperCustomizer {

    public static final String NOT_FINITE = FiniteDoubles.NOT_FINITE;

    /** The refusal of the non-finite number the parser stands on, saying what was sent. */
    private static NotFinite notFinite(JsonParser parser) {
        try {
            return new NotFinite(parser, parser.hasToken(JsonToken.VALUE_STRING) ? JsonMistakes.given(parser.getText())
                    : JsonMistakes.givenLiteral(parser.getText()));
        } catch (java.io.IOException e) {
            return new NotFinite(parser, "");
        }
    }

    /** The refusal of a non-finite number; its path names the field. */
    public static final class NotFinite extends MismatchedInputException {
        NotFinite(JsonParser parser, String given) {
            super(parser, NOT_FINITE + given);
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        // Jackson's default, stated so nobody turns it on for "tolerance": NaN and Infinity are not JSON.
        mapper.getFactory().disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.registerModule(FiniteDoubles.module(StrictNumbers::notFinite));
    }
}
