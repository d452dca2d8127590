package dev.tessera.bench.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiPredicate;

/**
 * The heterogeneity-agnostic baseline: a scheduler that sees every chip as the same. A job gets
 * its chips drawn at random from all free chips, so each chip model comes up in proportion to
 * how many of it are free. It ignores chip-model constraints too, as such a scheduler would; it
 * keeps only what the hardware forces: a tensor-parallel group on one node, and no chip that cannot
 * run the job at all (too little memory), which a user would have excluded by a memory request.
 */
public final class AgnosticFifoPolicy implements PlacementPolicy {

    public static final String NAME = "agnosticFifo";

    private final Random random;
    private final BiPredicate<JobSpec, String> canRun;

    public AgnosticFifoPolicy(long seed) {
        this(seed, (job, chip) -> true);
    }

    /** @param canRun whether a chip model can run the job at all, however slowly */
    public AgnosticFifoPolicy(long seed, BiPredicate<JobSpec, String> canRun) {
        this.random = new Random(seed);
        this.canRun = canRun;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Placement> place(JobSpec job, Cluster cluster, double nowSeconds) {
        int group = Math.min(job.tensorParallel(), job.chipsPerShard());
        int groups = job.chips() / group;
        List<String[]> slots = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        for (Pool pool : cluster.pools()) {
            if (!canRun.test(job, pool.chip())) {
                continue;
            }
            for (Pool.Node node : pool.nodes()) {
                int f = cluster.freeOnNode(pool.name(), node.name());
                if (f > 0) {
                    slots.add(new String[] {pool.name(), pool.chip(), node.name()});
                    free.add(f);
                }
            }
        }
        Map<String, Map<String, Integer>> taken = new LinkedHashMap<>();
        Map<String, String> chipOfPool = new LinkedHashMap<>();
        for (int g = 0; g < groups; g++) {
            // Weight each node by its free chips (if it can hold a whole group): a uniform draw over chips.
            long eligible = 0;
            for (int i = 0; i < slots.size(); i++) {
                if (free.get(i) >= group) {
                    eligible += free.get(i);
                }
            }
            if (eligible == 0) {
                return Optional.empty();
            }
            long pick = (long) (random.nextDouble() * eligible);
            int chosen = -1;
            for (int i = 0; i < slots.size() && chosen < 0; i++) {
                if (free.get(i) >= group) {
                    if (pick < free.get(i)) {
                        chosen = i;
                    } else {
                        pick -= free.get(i);
                    }
                }
            }
            if (chosen < 0) {
                chosen = lastEligible(free, group);
            }
            free.set(chosen, free.get(chosen) - group);
            String[] slot = slots.get(chosen);
            chipOfPool.put(slot[0], slot[1]);
            taken.computeIfAbsent(slot[0], p -> new LinkedHashMap<>()).merge(slot[2], group, Integer::sum);
        }
        int total = job.chips();
        List<ShardAllocation> shards = new ArrayList<>();
        // Equal work per chip: the agnostic scheduler splits the batch as if all chips were alike.
        taken.forEach((pool, nodes) -> {
            int chips = nodes.values().stream().mapToInt(Integer::intValue).sum();
            shards.add(new ShardAllocation(pool, chipOfPool.get(pool), nodes, (double) chips / total));
        });
        return Optional.of(Placement.of(shards));
    }

    private static int lastEligible(List<Integer> free, int group) {
        for (int i = free.size() - 1; i >= 0; i--) {
            if (free.get(i) >= group) {
                return i;
            }
        }
        throw new IllegalStateException("no eligible node");
    }
}
