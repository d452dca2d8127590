package dev.tessera.inventory.api;

/**
 * The largest count of chips one field may carry: a stock movement, reservation, quota, order line,
 * delivery or receipt, and every quantity cell of a CSV import. Ten million is far beyond any
 * fleet, so a count this large is a mistake (or an attack), never a plan; totals over many such
 * counts are computed in {@code long}.
 */
public final class ChipCount {

    public static final int MAX = 10_000_000;

    public static final String TOO_MANY = "must be less than or equal to " + MAX;

    private ChipCount() {
    }
}
