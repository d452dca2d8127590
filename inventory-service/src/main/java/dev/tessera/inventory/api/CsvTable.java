package dev.tessera.inventory.api;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
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

    public static CsvTable parse(String body, Set<String> required) {
        if (body == null || body.isBlank()) {
            throw ApiException.invalid("body", "empty CSV: a header line and at least one row are needed");
        }
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = MAPPER.readerForMapOf(String.class).with(schema).readValues(body)) {
            while (it.hasNextValue()) {
                Map<String, String> cells = new LinkedHashMap<>(it.nextValue());
                // After a row the reader stands at the start of the next line, unless the file ended.
                var at = it.getCurrentLocation();
                int line = at.getColumnNr() <= 1 ? at.getLineNr() - 1 : at.getLineNr();
                if (rows.isEmpty() && !cells.keySet().containsAll(required)) {
                    List<String> missing = required.stream().filter(c -> !cells.containsKey(c)).sorted().toList();
                    throw ApiException.invalid("header", "missing column(s) " + missing);
                }
                rows.add(new Row(line, cells));
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
        return new CsvTable(rows);
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
            error(row, column, "'" + v + "' is not an integer");
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
