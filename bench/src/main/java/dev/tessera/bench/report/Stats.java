package dev.tessera.bench.report;

import java.util.Arrays;

/** Summary statistics over plain arrays. */
public final class Stats {

    private Stats() {
    }

    public static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** Nearest-rank percentile: the smallest value with at least {@code p}% of the values at or below it. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static double percentile(long[] values, double p) {
        return percentile(Arrays.stream(values).asDoubleStream().toArray(), p);
    }

    /**
     * Time average of a step function sampled at {@code times} (each value holds until the next
     * sample) over {@code [from, to]}.
     */
    public static double timeAverage(double[] times, double[] values, double from, double to) {
        if (to <= from || times.length == 0) {
            return Double.NaN;
        }
        double area = 0;
        for (int i = 0; i < times.length; i++) {
            double start = Math.max(from, times[i]);
            double end = Math.min(to, i + 1 < times.length ? times[i + 1] : to);
            if (end > start) {
                area += values[i] * (end - start);
            }
        }
        return area / (to - from);
    }

    /** The step function's value at time {@code t}: the last sample at or before it. */
    public static double valueAt(double[] times, double[] values, double t) {
        int i = Arrays.binarySearch(times, t);
        if (i < 0) {
            i = -i - 2;
        }
        return i < 0 ? 0 : values[i];
    }
}
