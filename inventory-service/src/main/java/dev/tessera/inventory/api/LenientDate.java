package dev.tessera.inventory.api;

import dev.tessera.rest.JsonText;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads a date, or a timestamp taken as its UTC date: schedulers tend to send instants. The one parser of such dates,
 * in bodies and in query strings alike ({@link #parse}).
 */
public class LenientDate extends JsonDeserializer<LocalDate> {

    /** What such a date may be written as. */
    public static final String FORMS = "a date (YYYY-MM-DD) or a timestamp with an offset (2027-01-01T08:00:00+08:00)";

    /** The refusal of a value that is neither; its path names the field. */
    public static final class NotADate extends InvalidFormatException {
        NotADate(JsonParser parser, String text) {
            super(parser, notADate(text), text, LocalDate.class);
        }
    }

    @Override
    public LocalDate deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        String text = p.getValueAsString();
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return parse(text);
        } catch (DateTimeException e) {
            throw new NotADate(p, text);
        }
    }

    /**
     * {@code 2027-01-01}, or a timestamp such as {@code 2027-01-01T08:00:00+08:00} taken as its UTC date. Told apart by
     * the {@code T}, so a date with a year past 9999 ({@code +99999-01-01}) is read as a date, and then refused for its
     * range ({@link PlausibleDate}) rather than as unreadable.
     */
    public static LocalDate parse(String text) throws DateTimeException {
        return text.indexOf('T') < 0 && text.indexOf('t') < 0 ? LocalDate.parse(text)
                : OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
    }

    /** {@code 'soon' is not a date (YYYY-MM-DD) or a timestamp ...}. */
    public static String notADate(String text) {
        return JsonText.quoted(text).replaceAll("^\"|\"$", "'") + " is not " + FORMS;
    }

    /** As {@link #notADate}, for a query parameter: an offset's {@code +} sent unencoded arrives as a space. */
    public static String notADateInQuery(String text) {
        return notADate(text) + (text.contains(" ") ? " (send a '+' in a query string as %2B)" : "");
    }
}
