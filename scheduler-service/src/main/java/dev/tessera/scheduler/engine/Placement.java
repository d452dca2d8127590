package dev.tessera.scheduler.engine;

import java.util.List;

/**
 * A job's entry in the ledger: the request it was made for and the shards it holds.
 *
 * @param explanation sentences for users saying why the job sits where it does
 */
public record Placement(PlacementRequest request, List<Shard> shards, Estimate estimate, List<String> explanation) {
    public Placement {
        shards = List.copyOf(shards);
        explanation = List.copyOf(explanation);
    }

    public String jobId() {
        return request.jobId();
    }

    public int totalChips() {
        int sum = 0;
        for (Shard s : shards) {
            sum += s.chips();
        }
        return sum;
    }
}
