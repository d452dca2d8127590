package dev.tessera.scheduler.engine;

import java.util.List;

/**
 * One data-parallel replica: {@code chips} chips of one model in one pool.
 *
 * @param batchShare this shard's share of the global batch; the shares of a placement sum to 1
 */
public record Shard(int index, String pool, String chip, int chips, List<NodeShare> nodes, double batchShare) {
    public Shard {
        nodes = List.copyOf(nodes);
    }
}
