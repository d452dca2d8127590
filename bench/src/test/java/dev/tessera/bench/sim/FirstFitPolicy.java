package dev.tessera.bench.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A predictable policy for tests: the first allowed pool with room, nodes filled in order; when
 * nothing fits, it evicts the lowest-priority running job below the asker's priority.
 */
final class FirstFitPolicy implements PlacementPolicy {

    private final Map<String, Integer> priorities = new LinkedHashMap<>();

    @Override
    public String name() {
        return "firstFit";
    }

    @Override
    public Optional<Placement> place(JobSpec job, Cluster cluster, double nowSeconds) {
        priorities.put(job.id(), job.priority());
        for (Pool pool : cluster.pools()) {
            if (!job.allows(pool.chip()) || cluster.freeInPool(pool.name()) < job.chips()) {
                continue;
            }
            Map<String, Integer> nodes = new LinkedHashMap<>();
            int left = job.chips();
            for (Pool.Node node : pool.nodes()) {
                int take = Math.min(left, cluster.freeOnNode(pool.name(), node.name()));
                if (take > 0) {
                    nodes.put(node.name(), take);
                    left -= take;
                }
            }
            return Optional.of(Placement.of(List.of(new ShardAllocation(pool.name(), pool.chip(), nodes, 1))));
        }
        String victim = null;
        for (String running : cluster.ledger().keySet()) {
            if (priorities.get(running) < job.priority()
                    && (victim == null || priorities.get(running) < priorities.get(victim))) {
                victim = running;
            }
        }
        if (victim == null || cluster.ledger().get(victim).chips() < job.chips()) {
            return Optional.empty();
        }
        List<ShardAllocation> shards = new ArrayList<>();
        for (ShardAllocation s : cluster.ledger().get(victim).shards()) {
            shards.add(new ShardAllocation(s.pool(), s.chip(), s.chipsByNode(), 1));
        }
        return Optional.of(new Placement(shards, List.of(victim)));
    }
}
