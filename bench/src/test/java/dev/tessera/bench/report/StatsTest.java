package dev.tessera.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankPercentiles() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;
        }
        assertThat(Stats.percentile(values, 50)).isEqualTo(50);
        assertThat(Stats.percentile(values, 99)).isEqualTo(99);
        assertThat(Stats.percentile(new double[] {3, 1, 2}, 99)).isEqualTo(3);
        assertThat(Stats.percentile(new double[0], 50)).isNaN();
    }

    @Test
    void timeAverageOfAStepFunction() {
        double[] times = {0, 10, 20};
        double[] values = {1.0, 0.5, 0.0};
        assertThat(Stats.timeAverage(times, values, 0, 20)).isEqualTo(0.75);
        assertThat(Stats.timeAverage(times, values, 5, 15)).isEqualTo(0.75);
        assertThat(Stats.valueAt(times, values, 12)).isEqualTo(0.5);
        assertThat(Stats.valueAt(times, values, -1)).isZero();
    }
}
