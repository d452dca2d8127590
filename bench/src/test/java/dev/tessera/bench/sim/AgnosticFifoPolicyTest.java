package dev.tessera.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgnosticFifoPolicyTest {

    private static List<Pool> fleet() {
        List<Pool.Node> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(new Pool.Node("k-" + i, 1));
        }
        return List.of(new Pool("k80", "k80", many),
                new Pool("v100", "v100", List.of(new Pool.Node("v-0", 8), new Pool.Node("v-1", 2))));
    }

    @Test
    void drawsChipModelsInProportionToTheirFreeChips() {
        Cluster cluster = new Cluster(fleet());
        AgnosticFifoPolicy policy = new AgnosticFifoPolicy(7);
        JobSpec one = new JobSpec("j", 0, 0, 1, 1, 1, 1, Set.of("v100"), null, 1);
        int k80 = 0;
        int draws = 4000;
        for (int i = 0; i < draws; i++) {
            Placement p = policy.place(one, cluster, 0).orElseThrow();
            k80 += p.shards().get(0).chip().equals("k80") ? 1 : 0;
        }
        // 30 of 40 free chips are K80s; the job's V100 constraint is ignored, as a blind scheduler would
        assertThat((double) k80 / draws).isBetween(0.72, 0.78);
    }

    @Test
    void sameSeedSameDraws() {
        Cluster cluster = new Cluster(fleet());
        JobSpec four = new JobSpec("j", 0, 0, 1, 1, 4, 1, Set.of(), null, 1);
        assertThat(new AgnosticFifoPolicy(3).place(four, cluster, 0))
                .isEqualTo(new AgnosticFifoPolicy(3).place(four, cluster, 0));
    }

    @Test
    void keepsATensorParallelGroupOnOneNode() {
        Cluster cluster = new Cluster(fleet());
        JobSpec pod = new JobSpec("j", 0, 0, 1, 1, 4, 4, Set.of(), null, 1);
        Placement p = new AgnosticFifoPolicy(1).place(pod, cluster, 0).orElseThrow();
        assertThat(p.shards()).singleElement().satisfies(s -> assertThat(s.chipsByNode()).containsEntry("v-0", 4));
        assertThat(p.shards().get(0).batchShare()).isEqualTo(1.0);
    }

    @Test
    void waitsWhenTooFewChipsAreFreeAndSkipsChipsThatCannotRunTheJob() {
        Cluster cluster = new Cluster(fleet());
        JobSpec huge = new JobSpec("j", 0, 0, 1, 1, 41, 1, Set.of(), null, 1);
        assertThat(new AgnosticFifoPolicy(1).place(huge, cluster, 0)).isEmpty();

        JobSpec ten = new JobSpec("t", 0, 0, 1, 1, 10, 1, Set.of(), null, 1);
        AgnosticFifoPolicy noK80 = new AgnosticFifoPolicy(1, (job, chip) -> !chip.equals("k80"));
        Placement p = noK80.place(ten, cluster, 0).orElseThrow();
        assertThat(p.shards()).extracting(ShardAllocation::chip).containsOnly("v100");
        assertThat(p.chips()).isEqualTo(10);
    }

    @Test
    void splitsTheBatchEquallyPerChipAcrossChipModels() {
        Cluster cluster = new Cluster(fleet());
        JobSpec twenty = new JobSpec("j", 0, 0, 1, 1, 20, 1, Set.of(), null, 1);
        Placement p = new AgnosticFifoPolicy(5).place(twenty, cluster, 0).orElseThrow();
        assertThat(p.chips()).isEqualTo(20);
        for (ShardAllocation shard : p.shards()) {
            assertThat(shard.batchShare()).isEqualTo(shard.chips() / 20.0);
        }
    }
}
