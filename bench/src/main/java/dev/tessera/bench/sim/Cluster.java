package dev.tessera.bench.sim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated fleet and its ledger: which job holds which chips. It is the benchmark's own
 * record, so a policy that books a chip twice or ignores a pool's chip model is caught here
 * rather than trusted.
 */
public final class Cluster {

    private final List<Pool> pools;
    private final Map<String, Pool> poolsByName = new LinkedHashMap<>();
    private final Map<String, Map<String, Integer>> freeByPoolAndNode = new LinkedHashMap<>();
    private final Map<String, Integer> freeByPool = new LinkedHashMap<>();
    private final Map<String, Placement> ledger = new LinkedHashMap<>();
    private final int totalChips;
    private int allocatedChips;

    public Cluster(List<Pool> pools) {
        this.pools = List.copyOf(pools);
        int total = 0;
        for (Pool pool : this.pools) {
            if (poolsByName.put(pool.name(), pool) != null) {
                throw new IllegalArgumentException("duplicate pool " + pool.name());
            }
            Map<String, Integer> nodes = new LinkedHashMap<>();
            for (Pool.Node node : pool.nodes()) {
                nodes.put(node.name(), node.chips());
            }
            freeByPoolAndNode.put(pool.name(), nodes);
            freeByPool.put(pool.name(), pool.capacity());
            total += pool.capacity();
        }
        this.totalChips = total;
    }

    public List<Pool> pools() {
        return pools;
    }

    public int totalChips() {
        return totalChips;
    }

    public int allocatedChips() {
        return allocatedChips;
    }

    public double allocationRatio() {
        return totalChips == 0 ? 0 : (double) allocatedChips / totalChips;
    }

    public int freeInPool(String pool) {
        return freeByPool.getOrDefault(pool, 0);
    }

    public int freeOnNode(String pool, String node) {
        return freeByPoolAndNode.getOrDefault(pool, Map.of()).getOrDefault(node, 0);
    }

    /** Free chips in the pools of the chip models the job may use. */
    public int freeFor(JobSpec job) {
        int free = 0;
        for (Pool pool : pools) {
            if (job.allows(pool.chip())) {
                free += freeByPool.get(pool.name());
            }
        }
        return free;
    }

    /** Running jobs and what they hold, in booking order. */
    public Map<String, Placement> ledger() {
        return Collections.unmodifiableMap(ledger);
    }

    /** Books a placement; refuses (and changes nothing) if it names unknown chips or more chips than are free. */
    public void book(String jobId, Placement placement) {
        if (ledger.containsKey(jobId)) {
            throw new IllegalStateException("job " + jobId + " is already placed");
        }
        Map<String, Map<String, Integer>> wanted = new LinkedHashMap<>();
        for (ShardAllocation shard : placement.shards()) {
            Pool pool = poolsByName.get(shard.pool());
            if (pool == null) {
                throw new IllegalStateException("job " + jobId + " placed on unknown pool " + shard.pool());
            }
            if (!pool.chip().equals(shard.chip())) {
                throw new IllegalStateException("job " + jobId + " says chip " + shard.chip() + " in pool "
                        + pool.name() + " of " + pool.chip());
            }
            shard.chipsByNode().forEach((node, chips) -> {
                if (chips <= 0) {
                    throw new IllegalStateException("job " + jobId + " takes " + chips + " chips on " + node);
                }
                wanted.computeIfAbsent(shard.pool(), p -> new LinkedHashMap<>()).merge(node, chips, Integer::sum);
            });
        }
        wanted.forEach((pool, nodes) -> nodes.forEach((node, chips) -> {
            Integer free = freeByPoolAndNode.get(pool).get(node);
            if (free == null) {
                throw new IllegalStateException("job " + jobId + " placed on unknown node " + pool + "/" + node);
            }
            if (chips > free) {
                throw new IllegalStateException("job " + jobId + " overbooks " + pool + "/" + node + ": wants "
                        + chips + ", " + free + " free");
            }
        }));
        wanted.forEach((pool, nodes) -> nodes.forEach((node, chips) -> {
            freeByPoolAndNode.get(pool).merge(node, -chips, Integer::sum);
            freeByPool.merge(pool, -chips, Integer::sum);
            allocatedChips += chips;
        }));
        ledger.put(jobId, placement);
    }

    /** Gives back what the job holds; a no-op for a job that holds nothing. */
    public Placement release(String jobId) {
        Placement placement = ledger.remove(jobId);
        if (placement == null) {
            return null;
        }
        for (ShardAllocation shard : placement.shards()) {
            shard.chipsByNode().forEach((node, chips) -> {
                freeByPoolAndNode.get(shard.pool()).merge(node, chips, Integer::sum);
                freeByPool.merge(shard.pool(), chips, Integer::sum);
                allocatedChips -= chips;
            });
        }
        return placement;
    }
}
