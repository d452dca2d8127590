package dev.tessera.inventory.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Reads a date, or a timestamp taken as its UTC date: schedulers tend to send instants. */
public class LenientDate extends JsonDeserializer<LocalDate> {

    @Override
    public LocalDate deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        String text = p.getValueAsString();
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return parse(text);
        } catch (DateTimeException e) {
            return (LocalDate) ctx.handleWeirdStringValue(LocalDate.class, text, "not a date (YYYY-MM-DD)");
        }
    }

    /** {@code 2027-01-01}, or a timestamp such as {@code 2027-01-01T08:00:00+08:00} taken as its UTC date. */
    public static LocalDate parse(String text) throws DateTimeException {
        return text.length() <= 10 ? LocalDate.parse(text)
                : OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
    }
}
