package dev.tessera.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlotsTest {

    @Test
    void theDistributionRisesFromZeroAtTheSmallestValueToOneAtTheLargest() {
        double[][] points = Plots.cdfPoints(new double[] {1, 2, 2, 5});
        assertEquals(1501, points[0].length);
        assertEquals(1.0, points[0][0]);
        assertEquals(0.0, points[1][0]);
        // at the smallest value, one of four is at or below it; at the largest, all four
        assertEquals(1.0, points[0][1]);
        assertEquals(0.25, points[1][1]);
        assertEquals(5.0, points[0][1500]);
        assertEquals(1.0, points[1][1500]);
        for (int i = 2; i < points[0].length; i++) {
            assertTrue(points[0][i] > points[0][i - 1] && points[1][i] >= points[1][i - 1], "rising at " + i);
            // between 2 and 5 (exclusive) three of four are at or below
            if (points[0][i] >= 2 && points[0][i] < 5) {
                assertEquals(0.75, points[1][i], "at " + points[0][i]);
            }
        }
    }

    @Test
    void theGridIsEvenOnTheLogScale() {
        double[][] points = Plots.cdfPoints(new double[] {0.001, 1000});
        // six decades in 1,499 steps
        double step = Math.log10(points[0][2]) - Math.log10(points[0][1]);
        assertEquals(6.0 / 1499, step, 1e-9);
        assertEquals(6.0 / 1499, Math.log10(points[0][1000]) - Math.log10(points[0][999]), 1e-9);
    }

    @Test
    void oneValueIsOneStep() {
        double[][] points = Plots.cdfPoints(new double[] {3, 3});
        assertArrayEquals(new double[] {3, 3}, points[0]);
        assertArrayEquals(new double[] {0, 1}, points[1]);
    }

    @Test
    void theSharesOfAManyJobDistributionDoNotStepEvenly() {
        // what XChart takes for an evenly stepping axis (it then labels it wrongly): every gap within 1e-4 of the first
        double[] values = new Random(7).doubles(986).map(v -> Math.exp(v * 12)).sorted().toArray();
        double[] shares = Arrays.stream(Plots.cdfPoints(values)[1]).distinct().toArray();
        double first = shares[1] - shares[0];
        boolean even = true;
        for (int i = 1; i < shares.length; i++) {
            even &= Math.abs(shares[i] - shares[i - 1] - first) <= 1e-4;
        }
        assertTrue(!even, "shares step evenly");
    }

    @Test
    void theAllocationAxisEndsAtTheNextRoundShareAboveTheHighestAllocation() {
        assertEquals(1.0, Plots.roundShareAbove(0.68));
        assertEquals(1.0, Plots.roundShareAbove(1.0));
        assertEquals(0.5, Plots.roundShareAbove(0.5));
        assertEquals(0.5, Plots.roundShareAbove(0.35));
        assertEquals(0.2, Plots.roundShareAbove(0.11), 1e-12);
        assertEquals(0.02, Plots.roundShareAbove(0.011), 1e-12);
        assertEquals(0.01, Plots.roundShareAbove(0.01), 1e-12);
        assertEquals(1.0, Plots.roundShareAbove(0.0));
    }
}
