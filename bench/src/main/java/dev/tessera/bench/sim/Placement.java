package dev.tessera.bench.sim;

import java.util.List;

/**
 * What a policy decided for one job.
 *
 * @param shards    the chips the job now holds
 * @param preempted jobs whose chips this placement took; the simulation puts them back in the queue
 */
public record Placement(List<ShardAllocation> shards, List<String> preempted) {

    public Placement {
        shards = List.copyOf(shards);
        preempted = List.copyOf(preempted);
    }

    public static Placement of(List<ShardAllocation> shards) {
        return new Placement(shards, List.of());
    }

    public int chips() {
        return shards.stream().mapToInt(ShardAllocation::chips).sum();
    }
}
