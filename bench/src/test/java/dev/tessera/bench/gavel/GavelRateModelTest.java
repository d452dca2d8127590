package dev.tessera.bench.gavel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.bench.Fixtures;
import dev.tessera.bench.sim.JobSpec;
import dev.tessera.bench.sim.Placement;
import dev.tessera.bench.sim.ShardAllocation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GavelRateModelTest {

    private final GavelRateModel model = new GavelRateModel(read());
    private final JobSpec twoShards = new JobSpec("j", 0, 0, 2, 2, 1, 1, Set.of(), "Fast on V100", 100);

    private static ThroughputTable read() {
        try {
            return ThroughputTable.read(Fixtures.path("throughputs.json"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void oneChipModelRunsAtItsMeasuredRate() {
        Placement v100 = Placement.of(List.of(shard("v100", 1, 0.5), shard("v100", 1, 0.5)));
        assertThat(model.workPerSecond(twoShards, v100)).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void sharesInProportionToSpeedAddTheShardsUp() {
        Placement mixed = Placement.of(List.of(shard("v100", 1, 5.0 / 7), shard("p100", 1, 2.0 / 7)));
        assertThat(model.workPerSecond(twoShards, mixed)).isCloseTo(7.0, within(1e-9));
    }

    @Test
    void equalSharesOnMixedChipsRunAtThePaceOfTheSlowest() {
        Placement mixed = Placement.of(List.of(shard("v100", 1, 0.5), shard("k80", 1, 0.5)));
        assertThat(model.workPerSecond(twoShards, mixed)).isCloseTo(2.0, within(1e-9));
        Placement unspecified = Placement.of(List.of(shard("v100", 1, 0), shard("k80", 1, 0)));
        assertThat(model.workPerSecond(twoShards, unspecified)).isCloseTo(2.0, within(1e-9));
    }

    private static ShardAllocation shard(String chip, int chips, double share) {
        return new ShardAllocation(chip, chip, Map.of(chip + "-n0", chips), share);
    }
}
