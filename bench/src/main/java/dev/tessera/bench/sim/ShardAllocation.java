package dev.tessera.bench.sim;

import java.util.Map;

/**
 * Chips one shard holds: all in one pool, spread over the given nodes.
 *
 * @param batchShare the share of the job's global batch this shard processes; 0 means "not
 *                   given", in which case every shard is taken to get an equal share
 */
public record ShardAllocation(String pool, String chip, Map<String, Integer> chipsByNode, double batchShare) {

    public ShardAllocation {
        chipsByNode = Map.copyOf(chipsByNode);
    }

    public int chips() {
        return chipsByNode.values().stream().mapToInt(Integer::intValue).sum();
    }
}
