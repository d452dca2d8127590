package dev.tessera.operator.scheduler;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Wire types of the scheduler-service REST contract (docs/api.md). */
public final class SchedulerDtos {
    private SchedulerDtos() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkloadDto(String profile, String communication, Double parametersBillions, Long totalSteps) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlacementRequest(String jobId, String namespace, String name, String queue, int priority,
            int shards, int minShards, int chipsPerShard, int tensorParallel, List<String> allowedChips,
            List<String> preferredChips, String mixing, WorkloadDto workload) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeChips(String name, int chips) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ShardDto(int index, String pool, String chip, int chips, List<NodeChips> nodes, double batchShare) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EstimateDto(Double stepsPerSecond, Double h100Equivalent) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReasonDto(String reason, String message) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PlacementAnswer(String jobId, String state, List<ShardDto> shards, EstimateDto estimate,
            List<String> preempted, List<String> explanation, List<ReasonDto> reasons, String earliestStart) {
    }

    /** {@code avoidNodes}: move the shard off these nodes only (it may stay in its pool); empty: off its pool. */
    public record ReplacementRequest(int shard, List<String> avoidPools, List<String> avoidNodes) {
    }

    public record PoolDto(String name, String chip, List<NodeChips> nodes) {
    }

    public record PoolsSnapshot(List<PoolDto> pools) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    /** A bound placement re-told after a scheduler restart, with the spec's rules for moving its shards later. */
    public record BoundPlacement(String jobId, String namespace, String name, String queue, int priority,
            int chipsPerShard, int tensorParallel, int wantedShards, int minShards, List<String> allowedChips,
            List<String> preferredChips, String mixing, WorkloadDto workload, List<ShardDto> shards) {
    }

    public record LedgerSync(List<PoolDto> pools, List<BoundPlacement> placements) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChipModel(String id, String vendor, String name, String resourceName, List<String> aliases,
            String confidence) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Problem(String type, String title, Integer status, String detail) {
    }
}
