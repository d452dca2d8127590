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

    @Test
    void theCompletionEstimateIsAnRfc3339TimeOrNoneAtAll() {
        var spec = WorkerPodsTest.job().getSpec();
        java.time.Instant now = java.time.Instant.parse("2026-12-04T10:00:00Z");
        var base = answer(1, 8);
        var estimated = new dev.tessera.operator.scheduler.SchedulerDtos.PlacementAnswer(base.jobId(), base.state(), base.shards(),
                new dev.tessera.operator.scheduler.SchedulerDtos.EstimateDto(2.0, 1.0), List.of(), List.of(), null, null);
        spec.getWorkload().setTotalSteps(7200L);
        assertThat(PlacementMapping.toStatus(estimated, spec, now).getEstimate().getCompletionTime()).isEqualTo("2026-12-04T11:00:00Z");
        // a hundred billion steps at two a second: some 1,600 years, still a date
        spec.getWorkload().setTotalSteps(100_000_000_000L);
        assertThat(PlacementMapping.toStatus(estimated, spec, now).getEstimate().getCompletionTime()).startsWith("3611-");
        // past the year 9999 there is no RFC 3339 time to say it: no estimate of completion, the rest stays
        spec.getWorkload().setTotalSteps(Long.MAX_VALUE);
        var far = PlacementMapping.toStatus(estimated, spec, now).getEstimate();
        assertThat(far.getCompletionTime()).isNull();
        assertThat(far.getStepsPerSecond()).isEqualTo(2.0);
    }
}
