package dev.tessera.scheduler.engine;

import java.util.List;

/**
 * A job asking for chips. The caller has validated it (positive counts, {@code minShards <= shards},
 * {@code tensorParallel} divides {@code chipsPerShard}); the engine trusts these invariants.
 *
 * @param queue the team whose quota pays
 * @param allowedChips chip model ids the job may use; empty means any
 * @param preferredChips chip model ids tried first
 */
public record PlacementRequest(String jobId, String queue, int priority, int shards, int minShards, int chipsPerShard,
        int tensorParallel, List<String> allowedChips, List<String> preferredChips, Mixing mixing, Workload workload) {

    public PlacementRequest {
        queue = queue == null || queue.isBlank() ? "default" : queue;
        allowedChips = allowedChips == null ? List.of() : List.copyOf(allowedChips);
        preferredChips = preferredChips == null ? List.of() : List.copyOf(preferredChips);
        mixing = mixing == null ? Mixing.ALLOWED : mixing;
        if (shards < 1 || minShards < 1 || minShards > shards || chipsPerShard < 1 || tensorParallel < 1
                || chipsPerShard % tensorParallel != 0) {
            throw new IllegalArgumentException("inconsistent shard geometry for job " + jobId);
        }
    }

    /** Tensor-parallel groups in one shard; each group sits on a single node. */
    public int groupsPerShard() {
        return chipsPerShard / tensorParallel;
    }

    public boolean allows(String chip) {
        return allowedChips.isEmpty() || allowedChips.contains(chip);
    }
}
