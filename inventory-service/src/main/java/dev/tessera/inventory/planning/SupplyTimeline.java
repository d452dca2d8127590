package dev.tessera.inventory.planning;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Supply of one chip model over time, as step functions of dates: units on hand (stock now plus
 * deliveries scheduled by then and not cancelled) and units reserved ({@code [from, to)} holds).
 * Pure: the caller reads the database, this answers questions about it. All arithmetic is in
 * {@code long}: sums over many rows of {@code int} counts must not wrap.
 */
public final class SupplyTimeline {

    /** A reservation, or several with the same period summed. */
    public record Hold(LocalDate from, LocalDate to, long quantity) {
    }

    /** The first date in a window where holds would exceed what is on hand. */
    public record Overbooking(LocalDate date, long onHand, long reserved) {
    }

    private final long stock;
    private final NavigableMap<LocalDate, Long> arrivedBy = new TreeMap<>();
    private final NavigableMap<LocalDate, Long> reservedFrom = new TreeMap<>();

    /** {@code arrivals}: units still owed by scheduled date; dates in the past count as due now. */
    public SupplyTimeline(long stock, Map<LocalDate, ? extends Number> arrivals, List<Hold> holds) {
        this.stock = stock;
        long sum = 0;
        for (Map.Entry<LocalDate, ? extends Number> e : new TreeMap<>(arrivals).entrySet()) {
            sum += e.getValue().longValue();
            arrivedBy.put(e.getKey(), sum);
        }
        TreeMap<LocalDate, Long> delta = new TreeMap<>();
        for (Hold h : holds) {
            delta.merge(h.from(), h.quantity(), Long::sum);
            delta.merge(h.to(), -h.quantity(), Long::sum);
        }
        long level = 0;
        for (Map.Entry<LocalDate, Long> e : delta.entrySet()) {
            level += e.getValue();
            reservedFrom.put(e.getKey(), level);
        }
    }

    /** Adds a hold, as a reservation accepted in the same transaction would. */
    public void hold(Hold h) {
        for (LocalDate edge : List.of(h.from(), h.to())) {
            reservedFrom.putIfAbsent(edge, reserved(edge));
        }
        reservedFrom.subMap(h.from(), true, h.to(), false).replaceAll((date, level) -> level + h.quantity());
    }

    public long stock() {
        return stock;
    }

    /** Units expected on hand at {@code date}: stock plus deliveries scheduled on or before it. */
    public long onHand(LocalDate date) {
        Map.Entry<LocalDate, Long> e = arrivedBy.floorEntry(date);
        return stock + (e == null ? 0 : e.getValue());
    }

    public long reserved(LocalDate date) {
        Map.Entry<LocalDate, Long> e = reservedFrom.floorEntry(date);
        return e == null ? 0 : e.getValue();
    }

    public long free(LocalDate date) {
        return onHand(date) - reserved(date);
    }

    /** Units scheduled after {@code after} (exclusive; null = since ever) up to {@code until} inclusive. */
    public long arriving(LocalDate after, LocalDate until) {
        Map.Entry<LocalDate, Long> end = arrivedBy.floorEntry(until);
        Map.Entry<LocalDate, Long> start = after == null ? null : arrivedBy.floorEntry(after);
        return (end == null ? 0 : end.getValue()) - (start == null ? 0 : start.getValue());
    }

    /** Dates on which on-hand or reserved units change. */
    public TreeSet<LocalDate> changes() {
        TreeSet<LocalDate> dates = new TreeSet<>(arrivedBy.keySet());
        dates.addAll(reservedFrom.keySet());
        return dates;
    }

    /**
     * Whether holding {@code extra} more units over {@code [from, to)} overbooks. On-hand only grows
     * with time, so it suffices to test {@code from} and each date inside where reservations rise.
     */
    public Optional<Overbooking> overbooking(LocalDate from, LocalDate to, long extra) {
        List<LocalDate> points = new ArrayList<>();
        points.add(from);
        points.addAll(reservedFrom.subMap(from, false, to, false).keySet());
        for (LocalDate p : points) {
            long reserved = reserved(p);
            long onHand = onHand(p);
            if (reserved + extra > onHand) {
                return Optional.of(new Overbooking(p, onHand, reserved));
            }
        }
        return Optional.empty();
    }
}
