package dev.tessera.scheduler.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;

/** The request and answer bodies of the REST contract (DESIGN.md and docs/api.md). */
public final class Dtos {

    /** Upper bounds keep chip arithmetic far from overflow; no real job comes near them. */
    static final int MAX_COUNT = 100_000;
    /**
     * Chips a pool snapshot, or the placements of a ledger sync, may hold in all: ten times the largest fleets, and
     * far enough from {@code int} overflow that per-pool and per-node sums stay exact.
     */
    static final long MAX_FLEET_CHIPS = 10_000_000;
    /** Longest name or id: a Kubernetes object name (DNS subdomain). */
    static final int MAX_NAME = 253;
    /** Largest model, in billions of parameters: a thousand times the largest trained so far. */
    static final String MAX_PARAMETERS_BILLIONS = "1000000";
    /** Ids and names end up in paths, headers, log lines and Kubernetes objects: no NUL, newline or other control character. */
    static final String NO_CONTROL = "\\P{Cntrl}*";
    static final String NO_CONTROL_MESSAGE = "must not contain control characters";

    private Dtos() {
    }

    public record NodeDto(@NotBlank @Size(max = MAX_NAME) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String name,
            @NotNull @Min(0) @Max(MAX_COUNT) Integer chips) {
    }

    public record PoolDto(@NotBlank @Size(max = MAX_NAME) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String name,
            @NotBlank String chip, @NotNull List<@NotNull @Valid NodeDto> nodes) {
    }

    public record PoolsRequest(@NotNull List<@NotNull @Valid PoolDto> pools) {
    }

    public record NodeView(String name, int chips, int allocated) {
    }

    public record PoolView(String name, String chip, List<NodeView> nodes, int capacity, int allocated, int free) {
    }

    public record WorkloadDto(@Size(max = MAX_NAME) String profile,
            @Pattern(regexp = "Low|Medium|High", message = "must be Low, Medium or High") String communication,
            @PositiveOrZero @DecimalMax(MAX_PARAMETERS_BILLIONS) Double parametersBillions, @PositiveOrZero Long totalSteps) {
    }

    public record PlacementRequestDto(
            @NotBlank @Size(max = MAX_NAME) @Pattern(regexp = "[^/]*", message = "must not contain '/'")
            @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String jobId,
            @Size(max = MAX_NAME) String namespace, @Size(max = MAX_NAME) String name, @Size(max = MAX_NAME) String queue,
            Integer priority,
            @NotNull @Min(1) @Max(MAX_COUNT) Integer shards,
            @Min(1) @Max(MAX_COUNT) Integer minShards,
            @NotNull @Min(1) @Max(MAX_COUNT) Integer chipsPerShard,
            @Min(1) @Max(MAX_COUNT) Integer tensorParallel,
            List<@NotBlank String> allowedChips, List<@NotBlank String> preferredChips,
            @Pattern(regexp = "Allowed|SingleType", message = "must be Allowed or SingleType") String mixing,
            @Valid WorkloadDto workload) {
    }

    public record NodeShareDto(@NotBlank @Size(max = MAX_NAME) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String name,
            @NotNull @Min(0) @Max(MAX_COUNT) Integer chips) {
    }

    /** {@code batchShare}: the shard's fraction of the global batch, as the 201 answer gave it. */
    public record ShardDto(@NotNull @Min(0) Integer index,
            @NotBlank @Size(max = MAX_NAME) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String pool,
            @NotBlank String chip, @NotNull @Min(1) @Max(MAX_COUNT) Integer chips,
            @NotNull List<@NotNull @Valid NodeShareDto> nodes, @DecimalMin("0") @DecimalMax("1") Double batchShare) {
    }

    public record EstimateDto(double stepsPerSecond, double h100Equivalent) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlacementAnswer(String jobId, String state, List<ShardDto> shards, EstimateDto estimate,
            List<String> preempted, List<String> explanation, List<ReasonDto> reasons, LocalDate earliestStart) {
    }

    public record ReasonDto(String reason, String message) {
    }

    /** {@code avoidNodes}: leave only these nodes (the shard may stay in its pool); without them it leaves its pool. */
    public record ReplacementRequest(@NotNull @Min(0) Integer shard, @Size(max = 10_000) List<@NotBlank String> avoidPools,
            @Size(max = 10_000) List<@NotBlank @Size(max = MAX_NAME) String> avoidNodes) {
    }

    /** A bound placement as the operator re-tells it after a restart (the shape of the 201 answer plus the job's spec). */
    public record SyncedPlacement(@NotBlank @Size(max = MAX_NAME) @Pattern(regexp = "[^/]*", message = "must not contain '/'")
            @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_MESSAGE) String jobId,
            @Size(max = MAX_NAME) String namespace, @Size(max = MAX_NAME) String name, @Size(max = MAX_NAME) String queue,
            Integer priority,
            @NotNull @Min(1) @Max(MAX_COUNT) Integer chipsPerShard, @Min(1) @Max(MAX_COUNT) Integer tensorParallel,
            @Min(1) @Max(MAX_COUNT) Integer wantedShards, @Min(1) @Max(MAX_COUNT) Integer minShards,
            List<@NotBlank String> allowedChips, List<@NotBlank String> preferredChips,
            @Pattern(regexp = "Allowed|SingleType", message = "must be Allowed or SingleType") String mixing,
            @Valid WorkloadDto workload, @NotNull @Size(min = 1) List<@NotNull @Valid ShardDto> shards) {
    }

    public record LedgerSyncRequest(@NotNull List<@NotNull @Valid PoolDto> pools,
            @NotNull List<@NotNull @Valid SyncedPlacement> placements) {
    }

    public record LedgerSyncAnswer(String state, int pools, int placements, List<String> conflicts) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LedgerView(String state, String syncedAt, int pools, int placements, List<PlacementAnswer> entries) {
    }
}
