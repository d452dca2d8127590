package dev.tessera.scheduler.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scheduling cycle over several pending jobs at once. Placing jobs one by one in arrival order can
 * let a small early job fragment the nodes a large later job needed; seeing the whole batch, the
 * cycle tries orders of the jobs (all of them for small batches, a few heuristic ones for large) and
 * then improves the best by local moves (a job kept to one chip model, or to its minimum shard
 * count), keeping whatever gives the most H100-equivalents in total. Higher priority always goes first.
 */
public final class BatchPlanner {

    /** Batches up to this size try every order within a priority level. */
    static final int EXHAUSTIVE_LIMIT = 6;
    /** Local moves are tried for batches up to this size; beyond it the cycle only compares orders. */
    static final int LOCAL_SEARCH_LIMIT = 24;

    /** The cycle's outcome: the snapshot with every placement booked, and one decision per request. */
    public record Result(ClusterSnapshot snapshot, List<Decision> decisions, double h100Equivalents) {
    }

    private final PlacementEngine engine;

    public BatchPlanner(PlacementEngine engine) {
        this.engine = engine;
    }

    /** Places a batch; decisions come back in the order of {@code requests}. */
    public Result placeAll(ClusterSnapshot start, List<PlacementRequest> requests) {
        List<PlacementRequest> order = new ArrayList<>(requests);
        order.sort(Comparator.comparingInt(PlacementRequest::priority).reversed());
        List<List<PlacementRequest>> levels = new ArrayList<>();
        for (PlacementRequest r : order) {
            if (levels.isEmpty() || levels.get(levels.size() - 1).get(0).priority() != r.priority()) {
                levels.add(new ArrayList<>());
            }
            levels.get(levels.size() - 1).add(r);
        }
        ClusterSnapshot s = start;
        Map<String, Decision> decisions = new LinkedHashMap<>();
        double total = 0;
        for (List<PlacementRequest> level : levels) {
            Run best = bestOrder(s, level);
            if (level.size() <= LOCAL_SEARCH_LIMIT) {
                best = improve(s, best);
            }
            s = best.snapshot;
            total += best.value;
            for (int i = 0; i < best.order.size(); i++) {
                PlacementRequest original = best.originals.get(i);
                decisions.put(original.jobId(), restore(best.decisions.get(i), original, level.size()));
            }
        }
        List<Decision> out = new ArrayList<>();
        for (PlacementRequest r : requests) {
            out.add(decisions.get(r.jobId()));
        }
        return new Result(s, out, total);
    }

    /** One simulated pass: the requests as tried (variants) next to the originals they stand for. */
    private record Run(List<PlacementRequest> order, List<PlacementRequest> originals, List<Decision> decisions,
            ClusterSnapshot snapshot, double value) {
    }

    private Run simulate(ClusterSnapshot s, List<PlacementRequest> tried, List<PlacementRequest> originals) {
        List<Decision> ds = new ArrayList<>(tried.size());
        double value = 0;
        for (PlacementRequest r : tried) {
            Decision d = engine.place(s, r);
            if (d instanceof Decision.Placed p) {
                s = s.withPlacement(p.placement(), p.preempted());
                value += p.placement().estimate().h100Equivalent();
            }
            ds.add(d);
        }
        return new Run(tried, originals, ds, s, value);
    }

    private Run bestOrder(ClusterSnapshot s, List<PlacementRequest> level) {
        List<List<PlacementRequest>> orders = new ArrayList<>();
        if (level.size() <= EXHAUSTIVE_LIMIT) {
            permutations(new ArrayList<>(level), 0, orders);
        } else {
            orders.add(level);
            List<PlacementRequest> big = new ArrayList<>(level);
            big.sort(Comparator.comparingLong((PlacementRequest r) -> (long) r.minShards() * r.chipsPerShard()).reversed());
            orders.add(big);
            List<PlacementRequest> wide = new ArrayList<>(level);
            wide.sort(Comparator.comparingInt(PlacementRequest::tensorParallel).reversed()
                    .thenComparing(Comparator.comparingLong((PlacementRequest r) -> (long) r.minShards() * r.chipsPerShard()).reversed()));
            orders.add(wide);
            List<PlacementRequest> small = new ArrayList<>(big);
            java.util.Collections.reverse(small);
            orders.add(small);
        }
        Run best = null;
        for (List<PlacementRequest> o : orders) {
            Run run = simulate(s, o, o);
            if (best == null || run.value > best.value + 1e-9) {
                best = run;
            }
        }
        return best;
    }

    private Run improve(ClusterSnapshot s, Run best) {
        boolean better = true;
        int rounds = 0;
        while (better && rounds++ < 4) {
            better = false;
            for (int i = 0; i < best.order.size(); i++) {
                for (PlacementRequest variant : variants(s, best.originals.get(i))) {
                    List<PlacementRequest> tried = new ArrayList<>(best.order);
                    tried.set(i, variant);
                    Run run = simulate(s, tried, best.originals);
                    if (run.value > best.value * (1 + 1e-9) + 1e-12) {
                        best = run;
                        better = true;
                    }
                }
            }
        }
        return best;
    }

    /** The same job kept to one chip model, or to its minimum shard count: room left for the others. */
    private static List<PlacementRequest> variants(ClusterSnapshot s, PlacementRequest r) {
        Set<String> chips = new LinkedHashSet<>();
        for (Pool p : s.pools()) {
            if (r.allows(p.chip())) {
                chips.add(p.chip());
            }
        }
        List<PlacementRequest> out = new ArrayList<>();
        if (chips.size() > 1) {
            for (String c : chips) {
                out.add(new PlacementRequest(r.jobId(), r.queue(), r.priority(), r.shards(), r.minShards(), r.chipsPerShard(),
                        r.tensorParallel(), List.of(c), r.preferredChips().contains(c) ? List.of(c) : List.of(), r.mixing(), r.workload()));
            }
        }
        for (int n = r.minShards(); n < r.shards(); n++) {
            out.add(new PlacementRequest(r.jobId(), r.queue(), r.priority(), n, r.minShards(), r.chipsPerShard(),
                    r.tensorParallel(), r.allowedChips(), r.preferredChips(), r.mixing(), r.workload()));
        }
        return out;
    }

    private static void permutations(List<PlacementRequest> a, int k, List<List<PlacementRequest>> out) {
        if (k == a.size()) {
            out.add(new ArrayList<>(a));
            return;
        }
        for (int i = k; i < a.size(); i++) {
            java.util.Collections.swap(a, k, i);
            permutations(a, k + 1, out);
            java.util.Collections.swap(a, k, i);
        }
    }

    /** A variant's placement recorded under the job's own request, so later moves keep the job's rules. */
    private static Decision restore(Decision d, PlacementRequest original, int batch) {
        if (d instanceof Decision.Placed p && p.placement().request() != original) {
            List<String> why = new ArrayList<>(p.placement().explanation());
            why.add("Chosen together with the " + (batch - 1) + " other jobs of this scheduling cycle, to give the most throughput in total.");
            Placement kept = new Placement(original, p.placement().shards(), p.placement().estimate(), why);
            return new Decision.Placed(kept, p.preempted());
        }
        return d;
    }
}
