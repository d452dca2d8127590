package dev.tessera.inventory.planning;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * How long supply covers a demand plan. Demand is a step function (each step holds from its date
 * until the next); supply is free units over time. Both only change on known dates, so checking
 * those dates is exact.
 */
public final class Runway {

    private static final double EPSILON = 1e-9;

    public record Step(LocalDate from, double chips) {
    }

    public record Shortfall(LocalDate date, double missing) {
    }

    /** {@code coveredUntil}: first date demand is not met (covered before it); null when always met. */
    public record Result(LocalDate coveredUntil, List<Shortfall> shortfalls, LocalDate horizon) {
    }

    public interface Supply {
        double at(LocalDate date);

        NavigableSet<LocalDate> changes();
    }

    private Runway() {
    }

    public static Result compute(Supply supply, List<Step> demand, LocalDate today) {
        List<Step> steps = demand.stream().sorted(Comparator.comparing(Step::from)).toList();
        TreeSet<LocalDate> points = new TreeSet<>();
        points.add(today);
        steps.forEach(s -> points.add(s.from()));
        points.addAll(supply.changes());
        LocalDate coveredUntil = null;
        List<Shortfall> shortfalls = new ArrayList<>();
        double previous = 0;
        for (LocalDate p : points.tailSet(today, true)) {
            double missing = demandAt(steps, p) - supply.at(p);
            if (missing > EPSILON) {
                if (coveredUntil == null) {
                    coveredUntil = p;
                }
                if (Math.abs(missing - previous) > EPSILON) {
                    shortfalls.add(new Shortfall(p, missing));
                }
            } else {
                missing = 0;
            }
            previous = missing;
        }
        return new Result(coveredUntil, shortfalls, points.last());
    }

    static double demandAt(List<Step> sorted, LocalDate date) {
        double chips = 0;
        for (Step s : sorted) {
            if (s.from().isAfter(date)) {
                break;
            }
            chips = s.chips();
        }
        return chips;
    }
}
