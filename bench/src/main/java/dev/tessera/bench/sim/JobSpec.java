package dev.tessera.bench.sim;

import java.util.Objects;
import java.util.Set;

/**
 * One job of a trace, in the terms of a Tessera placement request.
 *
 * @param allowedChips chip models the job may run on; empty means any
 * @param profile      key into a measured throughput table, or null
 * @param work         steps to run; a {@link RateModel} turns a placement into steps per second
 */
public record JobSpec(String id, double arrivalSeconds, int priority, int shards, int minShards, int chipsPerShard,
                      int tensorParallel, Set<String> allowedChips, String profile, double work) {

    public JobSpec {
        Objects.requireNonNull(id);
        allowedChips = Set.copyOf(allowedChips);
        if (shards < 1 || minShards < 1 || minShards > shards || chipsPerShard < 1 || tensorParallel < 1) {
            throw new IllegalArgumentException("invalid shape for job " + id);
        }
    }

    public int chips() {
        return shards * chipsPerShard;
    }

    public boolean allows(String chip) {
        return allowedChips.isEmpty() || allowedChips.contains(chip);
    }
}
