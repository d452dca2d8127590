package dev.tessera.inventory.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Text refuses the NUL character (U+0000): PostgreSQL cannot store it, so it is refused when the body is read
 * (400 naming the field) rather than by the database, mid-transaction, in the database's words.
 */
@Singleton
public class StrictText implements ObjectMapperCustomizer {

    public static final String MESSAGE = "must not contain the NUL character (U+0000)";

    /** The refusal; its path names the field. */
    public static final class NulInText extends MismatchedInputException {
        NulInText(JsonParser parser) {
            super(parser, MESSAGE);
        }
    }

    /** Whether {@code text} holds a character the database cannot store. */
    public static boolean storable(String text) {
        return text == null || text.indexOf('\0') < 0;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("strict-text");
        module.addDeserializer(String.class, new StdScalarDeserializer<String>(String.class) {
            @Override
            public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                String value = StringDeserializer.instance.deserialize(parser, context);
                if (!storable(value)) {
                    throw new NulInText(parser);
                }
                return value;
            }
        });
        mapper.registerModule(module);
    }
}
