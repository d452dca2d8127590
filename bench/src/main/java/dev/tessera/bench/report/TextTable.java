package dev.tessera.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: first column left-aligned, figures right-aligned. */
public final class TextTable {

    private final List<String[]> rows = new ArrayList<>();

    public TextTable(String... header) {
        rows.add(header);
    }

    public TextTable row(String... cells) {
        rows.add(cells);
        return this;
    }

    public String render() {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int i = 0; i < columns; i++) {
                String cell = i < row.length ? row[i] : "";
                String pad = " ".repeat(width[i] - cell.length());
                out.append(i == 0 ? cell + pad : pad + cell);
                out.append(i + 1 < columns ? "  " : "");
            }
            out.append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : width) {
                    total += w;
                }
                out.append("-".repeat(total + 2 * (columns - 1))).append('\n');
            }
        }
        return out.toString();
    }

    public static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(java.util.Locale.ROOT, "%." + decimals + "f", value);
    }

    public static String percent(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(java.util.Locale.ROOT, "%.1f %%", ratio * 100);
    }
}
