package dev.tessera.bench.report;

import dev.tessera.bench.sim.SimulationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The charts of the benchmark's PNG: drawn side by side so one picture tells the story. */
public final class Plots {

    public static final int WIDTH = 800;
    public static final int HEIGHT = 520;
    private static final int MAX_POINTS = 1500;

    private Plots() {
    }

    /**
     * Empirical distribution per policy on a log axis.
     *
     * @param values      per policy, in the order of {@code runs}
     * @param unitSeconds seconds per unit of the x axis (3600 for hours)
     */
    public static XYChart distribution(String title, List<SimulationResult> runs, List<double[]> values,
                                       double unitSeconds, String unitName) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(unitName + ", log scale").yAxisTitle("share of jobs at or below").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0")
                .setLegendPosition(Styler.LegendPosition.InsideNW);
        for (int p = 0; p < runs.size(); p++) {
            // a log axis cannot show zero: anything under a second is drawn at one second
            double floor = 1.0 / unitSeconds;
            double[] sorted = Arrays.stream(values.get(p)).map(v -> Math.max(v / unitSeconds, floor)).sorted().toArray();
            if (sorted.length > 0) {
                double[][] points = cdfPoints(sorted);
                XYSeries series = chart.addSeries(runs.get(p).policy(), points[0], points[1]);
                series.setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }

    /**
     * Allocated over all chips, against simulated time. The y axis reaches the next round share above the
     * highest allocation (1, 0.5, 0.2, 0.1, 0.05, ...): a trace that never takes more than 1 % of the cluster
     * (openb's replay in real time) is a flat line on an axis to 1.
     */
    public static XYChart allocation(String title, List<SimulationResult> runs, double unitSeconds, String unitName) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("simulated time (" + unitName + ")").yAxisTitle("allocated / all chips").build();
        double highest = 0;
        for (SimulationResult run : runs) {
            for (double ratio : run.allocationRatios()) {
                highest = Math.max(highest, ratio);
            }
        }
        double top = roundShareAbove(highest);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(top).setYAxisDecimalPattern(top >= 0.1 ? "0.0#" : "0.0##%")
                .setXAxisDecimalPattern("#,##0").setLegendPosition(Styler.LegendPosition.InsideSE);
        for (SimulationResult run : runs) {
            double[][] steps = stepPoints(run.allocationTimes(), run.allocationRatios(), unitSeconds);
            if (steps[0].length > 0) {
                XYSeries series = chart.addSeries(run.policy(), steps[0], steps[1]);
                series.setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }

    /** The smallest of 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, ... at or above {@code share} (1 for nothing allocated). */
    static double roundShareAbove(double share) {
        if (!(share > 0) || share >= 1) {
            return 1.0;
        }
        double decade = Math.pow(10, Math.floor(Math.log10(share)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * decade >= share * (1 - 1e-12)) {
                return Math.min(1.0, step * decade);
            }
        }
        return 1.0;
    }

    /** Writes the charts side by side into one PNG. */
    public static void save(Path file, List<? extends Chart<?, ?>> charts) throws IOException {
        String name = file.toString();
        // XChart appends the extension itself
        if (name.toLowerCase(Locale.ROOT).endsWith(".png")) {
            name = name.substring(0, name.length() - 4);
        }
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), name, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Empirical CDF of {@code sorted} (positive values) for a log axis: share 0 at the smallest value (none
     * lies below it), then the share of values at or below each of MAX_POINTS times spaced evenly on the log
     * scale from the smallest value to the largest, finer than the picture. Evaluated on such a grid rather
     * than at every value, the shares are not equally spaced, which matters to XChart (3.8.8): on an axis
     * whose values step evenly (k/n for the n values of a distribution) it puts the ticks at data values and
     * draws the curve against the wrong labels (986 Gavel jobs rose above the tick labelled 1.0).
     */
    static double[][] cdfPoints(double[] sorted) {
        int n = sorted.length;
        double min = sorted[0];
        double max = sorted[n - 1];
        int points = max > min ? MAX_POINTS : 1;
        double[] x = new double[points + 1];
        double[] y = new double[points + 1];
        x[0] = min;
        double logMin = Math.log(min);
        double logSpan = Math.log(max) - logMin;
        for (int i = 0; i < points; i++) {
            double at = i == points - 1 ? max : i == 0 ? min : Math.exp(logMin + logSpan * i / (points - 1));
            x[i + 1] = at;
            y[i + 1] = (double) atOrBelow(sorted, at) / n;
        }
        return new double[][] {x, y};
    }

    /** How many of {@code sorted} are at or below {@code value}. */
    private static int atOrBelow(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] <= value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The allocation step function at evenly spaced times, in the chosen unit. */
    static double[][] stepPoints(double[] times, double[] ratios, double unitSeconds) {
        if (times.length == 0) {
            return new double[][] {new double[0], new double[0]};
        }
        double from = times[0];
        double to = times[times.length - 1];
        int points = to > from ? MAX_POINTS : 1;
        double[] x = new double[points];
        double[] y = new double[points];
        for (int i = 0; i < points; i++) {
            double t = points == 1 ? from : from + (to - from) * i / (points - 1);
            x[i] = t / unitSeconds;
            y[i] = Stats.valueAt(times, ratios, t);
        }
        return new double[][] {x, y};
    }
}
