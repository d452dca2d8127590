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

    /** Allocated over all chips, against simulated time. */
    public static XYChart allocation(String title, List<SimulationResult> runs, double unitSeconds, String unitName) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("simulated time (" + unitName + ")").yAxisTitle("allocated / all chips").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0")
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

    /** Writes the charts side by side into one PNG. */
    public static void save(Path file, List<? extends Chart<?, ?>> charts) throws IOException {
        String name = file.toString();
        // XChart appends the extension itself
        if (name.toLowerCase(Locale.ROOT).endsWith(".png")) {
            name = name.substring(0, name.length() - 4);
        }
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), name, BitmapEncoder.BitmapFormat.PNG);
    }

    /** Empirical CDF, thinned to at most MAX_POINTS points. */
    static double[][] cdfPoints(double[] sorted) {
        int n = sorted.length;
        int points = Math.min(n, MAX_POINTS);
        double[] x = new double[points];
        double[] y = new double[points];
        for (int i = 0; i < points; i++) {
            int index = (int) Math.round((double) i * (n - 1) / Math.max(1, points - 1));
            x[i] = sorted[index];
            y[i] = (index + 1.0) / n;
        }
        return new double[][] {x, y};
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
