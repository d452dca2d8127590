package dev.tessera.bench.report;

import dev.tessera.bench.sim.SimulationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws a benchmark's figures into one PNG: a distribution per policy on the left, allocation over time on the right. */
public final class Plots {

    private static final int MAX_POINTS = 1500;

    private Plots() {
    }

    /**
     * @param distributionTitle what the left chart shows, e.g. "Job completion time"
     * @param values            per policy, the values whose distribution is drawn (same order as {@code runs})
     * @param unitSeconds       seconds per unit of the x axes (3600 for hours)
     */
    public static void write(Path file, String title, List<SimulationResult> runs, String distributionTitle,
                             List<double[]> values, double unitSeconds, String unitName) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart cdf = new XYChartBuilder().width(800).height(520).title(title + ": " + distributionTitle)
                .xAxisTitle(distributionTitle + " (" + unitName + ", log scale)").yAxisTitle("share of jobs at or below")
                .build();
        cdf.getStyler().setXAxisLogarithmic(true);
        cdf.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0");
        cdf.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        XYChart allocation = new XYChartBuilder().width(800).height(520).title(title + ": chips allocated over time")
                .xAxisTitle("simulated time (" + unitName + ")").yAxisTitle("allocated / all chips").build();
        allocation.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0");
        allocation.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        for (int p = 0; p < runs.size(); p++) {
            SimulationResult run = runs.get(p);
            double[] sorted = Arrays.stream(values.get(p)).map(v -> Math.max(v, 1.0) / unitSeconds).sorted().toArray();
            if (sorted.length > 0) {
                double[][] cdfPoints = cdfPoints(sorted);
                XYSeries series = cdf.addSeries(run.policy(), cdfPoints[0], cdfPoints[1]);
                series.setMarker(SeriesMarkers.NONE);
            }
            double[][] steps = stepPoints(run.allocationTimes(), run.allocationRatios(), unitSeconds);
            if (steps[0].length > 0) {
                XYSeries series = allocation.addSeries(run.policy(), steps[0], steps[1]);
                series.setMarker(SeriesMarkers.NONE);
            }
        }
        List<Chart<?, ?>> charts = new ArrayList<>();
        charts.add(cdf);
        charts.add(allocation);
        BitmapEncoder.saveBitmap(charts, 1, 2, stripPng(file), BitmapEncoder.BitmapFormat.PNG);
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

    private static String stripPng(Path file) {
        String name = file.toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    }
}
