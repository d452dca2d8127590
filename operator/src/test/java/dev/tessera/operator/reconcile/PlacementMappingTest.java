package dev.tessera.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tessera.operator.api.ShardPlacement;
import dev.tessera.operator.scheduler.SchedulerDtos.NodeChips;

class PlacementMappingTest {

    private static ShardPlacement shard(int chips, List<String> nodes, List<Integer> nodeChips) {
        ShardPlacement s = new ShardPlacement();
        s.setChips(chips);
        s.setNodes(nodes);
        s.setNodeChips(nodeChips);
        return s;
    }

    @Test
    void theNodesChipsAreAsTheStatusRecordsThem() {
        assertThat(PlacementMapping.nodeChips(shard(8, List.of("a", "b"), List.of(5, 3))))
                .containsExactly(new NodeChips("a", 5), new NodeChips("b", 3));
    }

    @Test
    void withoutPerNodeCountsTheChipsAreSpreadAndAddUpToTheShard() {
        assertThat(PlacementMapping.nodeChips(shard(8, List.of("a", "b", "c"), List.of())))
                .containsExactly(new NodeChips("a", 3), new NodeChips("b", 3), new NodeChips("c", 2));
        // counts for fewer nodes than listed are not trusted either
        assertThat(PlacementMapping.nodeChips(shard(16, List.of("a", "b"), List.of(8))))
                .containsExactly(new NodeChips("a", 8), new NodeChips("b", 8));
        assertThat(PlacementMapping.nodeChips(shard(8, List.of(), List.of()))).isEmpty();
    }
}
