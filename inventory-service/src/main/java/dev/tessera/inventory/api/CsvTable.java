package dev.tessera.inventory.api;

import dev.tessera.rest.Problem;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV upload read with Jackson's CSV module, plus the per-row error report: every bad cell is
 * collected as {@code rows[<line>].<column>} so a client can fix the whole file in one go.
 */
public final class CsvTable {

    private static final CsvMapper MAPPER = new CsvMapper().enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES);

    /** One data row; {@code line} is its line number in the file (the header is line 1). */
    public record Row(int line, Map<String, String> cells) {
        public String get(String column) {
            String v = cells.get(column);
            return v == null || v.isBlank() ? null : v.trim();
        }
    }

    private final List<Row> rows;
    private final List<Problem.FieldError> errors = new ArrayList<>();

    private CsvTable(List<Row> rows) {
        this.rows = rows;
    }

    /**
     * An upload's bytes as text: UTF-8 (what spreadsheets call "CSV UTF-8"), its byte order mark dropped. Other
     * encodings are refused, naming the line, rather than read with replacement characters.
     */
    public static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body == null ? new byte[0] : body);
        CharBuffer out = CharBuffer.allocate(in.remaining());
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (body[i] == '\n') {
                    line++;
                }
            }
            throw ApiException.invalid("body", "line " + line + " is not UTF-8 text (byte " + (in.position() + 1)
                    + "): save the file as UTF-8 (\"CSV UTF-8\")");
        }
        decoder.flush(out);
        String text = out.flip().toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    public static CsvTable parse(String body, Set<String> required) {
        if (body != null && body.startsWith("\uFEFF")) {
            body = body.substring(1);
        }
        if (body == null || body.isBlank()) {
            throw ApiException.invalid("body", "empty CSV: a header line and at least one row are needed");
        }
        List<Row> rows = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        List<String> header = null;
        try (MappingIterator<List<String>> it = MAPPER.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(body)) {
            while (it.hasNextValue()) {
                List<String> cells = it.nextValue();
                // After a row the reader stands at the start of the next line, unless the file ended.
                var at = it.getCurrentLocation();
                int line = at.getColumnNr() <= 1 ? at.getLineNr() - 1 : at.getLineNr();
                if (header == null) {
                    header = header(cells, required);
                    continue;
                }
                if (cells.size() > header.size()) {
                    errors.add(new Problem.FieldError("rows[" + line + "]", cells.size() + " cells, but the header names "
                            + header.size() + " columns"));
                }
                Map<String, String> byColumn = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    String cell = i < cells.size() ? cells.get(i) : null;
                    if (!StrictText.storable(cell)) {
                        errors.add(new Problem.FieldError("rows[" + line + "]." + header.get(i), StrictText.MESSAGE));
                        cell = null;
                    }
                    byColumn.put(header.get(i), cell);
                }
                rows.add(new Row(line, byColumn));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException a) {
                throw a;
            }
            throw ApiException.invalid("body", "malformed CSV: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (rows.isEmpty()) {
            throw ApiException.invalid("body", "the CSV has no data rows");
        }
        CsvTable table = new CsvTable(rows);
        table.errors.addAll(errors);
        return table;
    }

    /** The header's column names: each once, the required ones all there. */
    private static List<String> header(List<String> cells, Set<String> required) {
        List<String> names = cells.stream().map(c -> c == null ? "" : c.trim()).toList();
        List<String> repeated = names.stream().filter(n -> !n.isEmpty() && names.indexOf(n) != names.lastIndexOf(n))
                .distinct().toList();
        if (!repeated.isEmpty()) {
            throw ApiException.invalid("header", "column(s) named more than once: " + repeated);
        }
        List<String> missing = required.stream().filter(c -> !names.contains(c)).sorted().toList();
        if (!missing.isEmpty()) {
            throw ApiException.invalid("header", "missing column(s) " + missing);
        }
        return names;
    }

    public List<Row> rows() {
        return rows;
    }

    public void error(Row row, String column, String message) {
        errors.add(new Problem.FieldError("rows[" + row.line() + "]." + column, message));
    }

    public String required(Row row, String column) {
        String v = row.get(column);
        if (v == null) {
            error(row, column, "must not be blank");
        }
        return v;
    }

    /** A count of chips: a whole number from 1 to {@link ChipCount#MAX}. */
    public Integer chipCount(Row row, String column) {
        String v = required(row, column);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v);
            if (n <= 0) {
                error(row, column, "must be greater than 0");
                return null;
            }
            if (n > ChipCount.MAX) {
                error(row, column, ChipCount.TOO_MANY);
                return null;
            }
            return (int) n;
        } catch (NumberFormatException e) {
            // digits past what a long holds are still a count, just far out of range: say the real limit
            error(row, column, !v.matches("-?[0-9]+") ? "'" + v + "' is not an integer"
                    : v.startsWith("-") ? "must be greater than 0" : ChipCount.TOO_MANY);
            return null;
        }
    }

    public LocalDate date(Row row, String column) {
        String v = required(row, column);
        if (v == null) {
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            error(row, column, "'" + v + "' is not a date (YYYY-MM-DD)");
            return null;
        }
        if (!PlausibleDate.Check.plausible(date)) {
            error(row, column, PlausibleDate.MESSAGE);
            return null;
        }
        return date;
    }

    /** A text cell of at most {@code max} characters (its column's length); null when blank. */
    public String text(Row row, String column, int max, boolean optional) {
        String v = optional ? row.get(column) : required(row, column);
        if (v != null && v.length() > max) {
            error(row, column, "must be at most " + max + " characters");
            return null;
        }
        return v;
    }

    public <E extends Enum<E>> E enumValue(Row row, String column, Class<E> type, boolean optional) {
        String v = optional ? row.get(column) : required(row, column);
        if (v == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase());
        } catch (IllegalArgumentException e) {
            error(row, column, "'" + v + "' is not one of " + List.of(type.getEnumConstants()));
            return null;
        }
    }

    /** Throws the report when any row is bad, so the caller writes nothing. */
    public void failIfErrors() {
        if (!errors.isEmpty()) {
            throw new ApiException(400, "csv-rows", "Invalid CSV rows",
                    errors.size() + " error(s) in " + rows.size() + " row(s); nothing was imported", List.copyOf(errors));
        }
    }
}
