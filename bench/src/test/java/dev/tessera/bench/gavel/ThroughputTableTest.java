package dev.tessera.bench.gavel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.bench.Fixtures;
import org.junit.jupiter.api.Test;

class ThroughputTableTest {

    private final ThroughputTable table = read();

    private static ThroughputTable read() {
        try {
            return ThroughputTable.read(Fixtures.path("throughputs.json"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheRunAloneFiguresOfConsolidatedWorkersOnly() {
        assertThat(table.profiles()).containsExactlyInAnyOrder("Fast on V100", "Fast on P100", "Needs memory");
        assertThat(table.chips("Fast on V100")).containsExactlyInAnyOrder("k80", "p100", "v100");
        assertThat(table.measured("Fast on V100", "v100")).containsEntry(1, 5.0).containsEntry(2, 9.0);
    }

    @Test
    void perChipRateIsTheMeasuredJobRateOverItsChips() {
        assertThat(table.perChip("Fast on V100", "v100", 2)).isCloseTo(4.5, within(1e-9));
        assertThat(table.perChip("Fast on V100", "v100", 1)).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void unmeasuredScalesExtrapolateFromTheLargestMeasuredBelow() {
        // 8 chips: from the 2-chip figure, 9.0 / 2 per chip
        assertThat(table.perChip("Fast on V100", "v100", 8)).isCloseTo(4.5, within(1e-9));
        assertThat(table.perChip("Fast on P100", "p100", 4)).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void aJobThatCannotRunOnAChipHasRateZero() {
        assertThat(table.perChip("Needs memory", "k80", 2)).isZero();
        assertThatThrownBy(() -> table.perChip("Unknown job", "k80", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
