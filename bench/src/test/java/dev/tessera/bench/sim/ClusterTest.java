package dev.tessera.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterTest {

    private final Cluster cluster = new Cluster(List.of(
            new Pool("a", "v100", List.of(new Pool.Node("a0", 4), new Pool.Node("a1", 4))),
            new Pool("b", "k80", List.of(new Pool.Node("b0", 2)))));

    @Test
    void bookingAndReleasingMovesChipsBetweenFreeAndAllocated() {
        cluster.book("j1", Placement.of(List.of(new ShardAllocation("a", "v100", Map.of("a0", 3, "a1", 1), 1))));
        assertThat(cluster.freeOnNode("a", "a0")).isEqualTo(1);
        assertThat(cluster.freeInPool("a")).isEqualTo(4);
        assertThat(cluster.allocatedChips()).isEqualTo(4);
        assertThat(cluster.allocationRatio()).isEqualTo(0.4);
        assertThat(cluster.freeFor(job(Set.of("k80")))).isEqualTo(2);
        assertThat(cluster.freeFor(job(Set.of()))).isEqualTo(6);

        cluster.release("j1");
        assertThat(cluster.allocatedChips()).isZero();
        assertThat(cluster.freeInPool("a")).isEqualTo(8);
        assertThat(cluster.release("j1")).isNull();
    }

    @Test
    void refusesToOverbookANodeAndChangesNothing() {
        cluster.book("j1", Placement.of(List.of(new ShardAllocation("a", "v100", Map.of("a0", 3), 1))));
        Placement tooMuch = Placement.of(List.of(new ShardAllocation("a", "v100", Map.of("a1", 1, "a0", 2), 1)));
        assertThatThrownBy(() -> cluster.book("j2", tooMuch)).hasMessageContaining("overbooks a/a0");
        assertThat(cluster.freeOnNode("a", "a1")).isEqualTo(4);
        assertThat(cluster.ledger()).containsOnlyKeys("j1");
    }

    @Test
    void refusesAShardThatMisnamesItsPoolsChipModel() {
        Placement wrong = Placement.of(List.of(new ShardAllocation("b", "v100", Map.of("b0", 1), 1)));
        assertThatThrownBy(() -> cluster.book("j", wrong)).hasMessageContaining("says chip v100 in pool b of k80");
    }

    private static JobSpec job(Set<String> allowed) {
        return new JobSpec("x", 0, 0, 1, 1, 1, 1, allowed, null, 1);
    }
}
