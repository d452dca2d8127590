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
    void thePlacedMessageCountsShardsPerChipModel() {
        ShardPlacement h800 = shard(8, List.of("a"), List.of(8));
        h800.setChip("h800");
        ShardPlacement ascend = shard(8, List.of("b"), List.of(8));
        ascend.setChip("ascend-910b");
        dev.tessera.operator.api.PlacementStatus placement = new dev.tessera.operator.api.PlacementStatus();
        placement.setShards(List.of(h800, h800, ascend));
        assertThat(PlacementMapping.describe(placement)).isEqualTo("3 shards on ascend-910b (1), h800 (2)");
        placement.setShards(List.of(h800));
        assertThat(PlacementMapping.describe(placement)).isEqualTo("1 shard on h800 (1)");
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

    private static dev.tessera.operator.scheduler.SchedulerDtos.PlacementAnswer answer(int shards, int chips) {
        List<dev.tessera.operator.scheduler.SchedulerDtos.ShardDto> out = new java.util.ArrayList<>();
        for (int i = 0; i < shards; i++) {
            out.add(new dev.tessera.operator.scheduler.SchedulerDtos.ShardDto(i, "p", "h800", chips,
                    List.of(new NodeChips("n" + i, chips)), 1.0 / shards));
        }
        return new dev.tessera.operator.scheduler.SchedulerDtos.PlacementAnswer("uid", "Placed", out, null, List.of(),
                List.of(), null, null);
    }

    @Test
    void anAnswerBookedForAnEarlierSpecIsToldFromOneForThisSpec() {
        var spec = WorkerPodsTest.job().getSpec();
        spec.setShards(2);
        spec.setMinShards(null);
        spec.setChipsPerShard(8);
        assertThat(PlacementMapping.mismatch(answer(2, 8), spec)).isNull();
        assertThat(PlacementMapping.mismatch(answer(1, 8), spec)).contains("1 shards where the spec wants 2 to 2");
        assertThat(PlacementMapping.mismatch(answer(3, 8), spec)).isNotNull();
        assertThat(PlacementMapping.mismatch(answer(2, 16), spec)).contains("holds 16 chips");
        spec.setMinShards(1);
        assertThat(PlacementMapping.mismatch(answer(1, 8), spec)).as("fewer shards, within the gang minimum").isNull();
    }
}
