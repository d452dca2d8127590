package dev.tessera.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.bench.Fixtures;
import dev.tessera.bench.sim.Cluster;
import dev.tessera.bench.sim.JobSpec;
import dev.tessera.bench.sim.Placement;
import dev.tessera.bench.sim.Pool;
import dev.tessera.bench.sim.ShardAllocation;
import dev.tessera.scheduler.engine.Mixing;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The production engine behind the benchmark's policy interface, on a three-pool fleet. */
class EnginePolicyTest {

    private static final List<Pool> FLEET = List.of(
            new Pool("k80", "k80", List.of(new Pool.Node("k80-n0", 2))),
            new Pool("p100", "p100", List.of(new Pool.Node("p100-n0", 2))),
            new Pool("v100", "v100", List.of(new Pool.Node("v100-n0", 2))));

    private final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-01-01T00:00:00Z"));

    private EnginePolicy measured() throws Exception {
        return new EnginePolicy(TesseraEngines.withMeasuredThroughputs(Fixtures.path("throughputs.json"), clock), clock,
                FLEET, Mixing.SINGLE_TYPE);
    }

    @Test
    void usesTheMeasuredSpeedOfEachWorkloadToChooseTheChipModel() throws Exception {
        EnginePolicy policy = measured();
        Cluster cluster = new Cluster(FLEET);
        Placement p100 = place(policy, cluster, job("p", "Fast on P100", 1, Set.of()));
        Placement v100 = place(policy, cluster, job("v", "Fast on V100", 1, Set.of()));
        assertThat(p100.shards()).extracting(ShardAllocation::chip).containsOnly("p100");
        assertThat(v100.shards()).extracting(ShardAllocation::chip).containsOnly("v100");
        assertThat(policy.ownTimes().size()).isEqualTo(2);
    }

    @Test
    void keepsItsLedgerInStepWithReleases() throws Exception {
        EnginePolicy policy = measured();
        Cluster cluster = new Cluster(FLEET);
        place(policy, cluster, job("a", "Fast on V100", 2, Set.of("v100")));
        assertThat(policy.place(job("b", "Fast on V100", 2, Set.of("v100")), cluster, 0)).isEmpty();
        cluster.release("a");
        policy.released("a");
        assertThat(policy.place(job("b", "Fast on V100", 2, Set.of("v100")), cluster, 1)).isPresent();
    }

    @Test
    void honoursChipModelConstraintsOnModelsTheDefaultCatalogLacks() {
        List<Pool> openb = List.of(new Pool("g2", "g2", List.of(new Pool.Node("g2-n0", 8))),
                new Pool("t4", "t4", List.of(new Pool.Node("t4-n0", 2))));
        EnginePolicy policy = new EnginePolicy(
                TesseraEngines.withCatalogOverride("/dev/tessera/bench/openb/openb-catalog.yaml", clock), clock, openb,
                Mixing.SINGLE_TYPE);
        Cluster cluster = new Cluster(openb);
        JobSpec onG2 = new JobSpec("g", 0, 0, 1, 1, 8, 8, Set.of("g2"), null, 100);
        JobSpec onT4 = new JobSpec("t", 0, 0, 1, 1, 1, 1, Set.of("t4"), null, 100);
        assertThat(place(policy, cluster, onG2).shards().get(0).chipsByNode()).containsEntry("g2-n0", 8);
        assertThat(place(policy, cluster, onT4).shards().get(0).chip()).isEqualTo("t4");
    }

    private static Placement place(EnginePolicy policy, Cluster cluster, JobSpec job) {
        Optional<Placement> placement = policy.place(job, cluster, 0);
        assertThat(placement).as("placement of " + job.id()).isPresent();
        cluster.book(job.id(), placement.get());
        return placement.get();
    }

    private static JobSpec job(String id, String profile, int chips, Set<String> allowed) {
        return new JobSpec(id, 0, 0, 1, 1, chips, 1, allowed, profile, 100);
    }
}
