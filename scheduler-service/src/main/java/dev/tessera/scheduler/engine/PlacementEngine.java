package dev.tessera.scheduler.engine;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides where a job's shards go. Pure: a snapshot and a request in, a {@link Decision} out; the
 * snapshot is never changed (apply a decision with {@link ClusterSnapshot#withPlacement}).
 *
 * <p>Steps of {@link #place}: (1) the same job already placed answers its placement; (2) the chip
 * models the job may use and can run on are ranked, preferred first, then by per-shard throughput;
 * (3) the shard count per chip model is chosen over free capacity (gang rule, mixing rule, a slower
 * model only when it makes the job faster); (4) shards are packed best-fit onto nodes; (5) if that
 * fails, the fewest lower-priority or quota-borrowing placements are evicted; (6) otherwise the job
 * is pending, with the date chips on order would let it run.
 */
public final class PlacementEngine {

    /**
     * Throughput kept per extra chip model in one job: shards of unlike chips synchronise through the
     * slower fabric and the batch split is never exact. A slower model joins only if it beats this cost.
     */
    public static final double MIXING_EFFICIENCY = 0.97;

    private static final int MAX_PRUNED_VICTIMS = 64;

    private final ThroughputModel model;
    private final Clock clock;

    public PlacementEngine(ThroughputModel model, Clock clock) {
        this.model = model;
        this.clock = clock;
    }

    public ThroughputModel model() {
        return model;
    }

    /** Places one job; the job is booked only when the caller applies the answer to its snapshot. */
    public Decision place(ClusterSnapshot s, PlacementRequest r) {
        Placement existing = s.placement(r.jobId());
        if (existing != null) {
            return new Decision.Placed(existing, List.of());
        }
        List<String> unfit = new ArrayList<>();
        List<ChipOption> types = eligible(s, r, unfit);
        if (types.isEmpty()) {
            String why = unfit.isEmpty() ? "no pool offers any of the allowed chip models " + allowedText(r)
                    : String.join("; ", unfit);
            return new Decision.Pending(r.jobId(), List.of(new PendingReason(PendingReason.NO_ELIGIBLE_CHIPS,
                    "No chip model can take this job: " + why + ".")), earliestStart(s, r, types));
        }
        Choice choice = choose(r, types, capacities(s, r, types));
        if (choice != null) {
            return new Decision.Placed(build(s, r, types, choice, s.usedCopy(), true, unfit, List.of(), List.of()), List.of());
        }
        Decision.Pending never = neverFits(s, r, types, unfit);
        if (never != null) {
            return never;
        }
        Decision preempting = preempt(s, r, types, unfit);
        if (preempting != null) {
            return preempting;
        }
        return pending(s, r, types, unfit);
    }

    /**
     * Moves one shard of a placed job to another pool (not its current one, none of {@code avoidPools}),
     * keeping the job's chip rules, and recomputes the batch split. Empty when no pool can take it.
     *
     * @throws java.util.NoSuchElementException when the job or the shard is unknown
     */
    public Optional<Placement> replaceShard(ClusterSnapshot s, String jobId, int shardIndex, Collection<String> avoidPools) {
        return replaceShard(s, jobId, shardIndex, avoidPools, List.of());
    }

    /**
     * Moves one shard. Without {@code avoidNodes} it leaves its pool (a pool that fails it); with them it only
     * leaves those nodes (gone, cordoned, not Ready) and may stay in its pool on others.
     */
    public Optional<Placement> replaceShard(ClusterSnapshot s, String jobId, int shardIndex, Collection<String> avoidPools,
            Collection<String> avoidNodes) {
        Placement p = s.placement(jobId);
        if (p == null) {
            throw new java.util.NoSuchElementException("job " + jobId + " is not placed");
        }
        Shard old = p.shards().stream().filter(x -> x.index() == shardIndex).findFirst()
                .orElseThrow(() -> new java.util.NoSuchElementException("job " + jobId + " has no shard " + shardIndex));
        PlacementRequest r = p.request();
        int[] used = s.usedCopy();
        Placement oldShardOnly = new Placement(r, List.of(old), p.estimate(), List.of());
        s.release(used, oldShardOnly);
        for (String name : avoidNodes) {
            int node = s.nodeIndex(name);
            if (node >= 0) {
                used[node] = Math.max(used[node], s.capacityAt(node)); // nothing free there for the shard
            }
        }
        List<ChipOption> types = eligible(s, r, new ArrayList<>());
        Set<String> jobChips = new HashSet<>();
        p.shards().forEach(x -> jobChips.add(x.chip()));
        if (r.mixing() == Mixing.SINGLE_TYPE) {
            types.removeIf(t -> !jobChips.contains(t.chip));
        }
        Set<String> avoid = new HashSet<>(avoidPools);
        if (avoidNodes.isEmpty()) {
            avoid.add(old.pool());
        }
        PlacementRequest one = new PlacementRequest(r.jobId(), r.queue(), r.priority(), 1, 1, r.chipsPerShard(),
                r.tensorParallel(), r.allowedChips(), r.preferredChips(), Mixing.ALLOWED, r.workload());
        int[] caps = capacities(s, one, types, used, avoid);
        int best = -1;
        for (int i = 0; i < types.size(); i++) {
            // a chip model the job already runs on first: mixing in a new model has a cost
            if (caps[i] > 0 && (best < 0 || jobChips.contains(types.get(i).chip) && !jobChips.contains(types.get(best).chip))) {
                best = i;
            }
        }
        if (best < 0) {
            return Optional.empty();
        }
        ChipOption t = types.get(best);
        List<PoolShard> moved = allocate(s, one, t.chip, 1, used, avoid, false);
        List<Shard> shards = new ArrayList<>();
        for (Shard x : p.shards()) {
            if (x.index() == shardIndex) {
                PoolShard ps = moved.get(0);
                shards.add(new Shard(x.index(), s.poolName(ps.pool), t.chip, r.chipsPerShard(), ps.nodes, 0));
            } else {
                shards.add(x);
            }
        }
        List<String> explanation = new ArrayList<>(p.explanation());
        explanation.add(String.format(Locale.ROOT, "Shard %d moved from pool %s to pool %s (%s)%s%s.", shardIndex,
                old.pool(), s.poolName(moved.get(0).pool), t.chip,
                avoidPools.isEmpty() ? "" : ", avoiding " + String.join(", ", avoidPools),
                avoidNodes.isEmpty() ? "" : ", off node" + (avoidNodes.size() == 1 ? " " : "s ") + String.join(", ", avoidNodes)));
        return Optional.of(rebalance(r, shards, explanation));
    }

    /** Recomputes batch shares and the estimate of shards as they stand (after a sync or a move). */
    public Placement rebalance(PlacementRequest r, List<Shard> shards, List<String> explanation) {
        Map<String, Double> thr = new LinkedHashMap<>();
        double sum = 0;
        for (Shard x : shards) {
            double t = thr.computeIfAbsent(x.chip(), c -> Math.max(1e-12,
                    model.shardThroughput(r.workload(), c, r.chipsPerShard(), r.tensorParallel())));
            sum += t;
        }
        List<Shard> out = new ArrayList<>(shards.size());
        for (Shard x : shards) {
            out.add(new Shard(x.index(), x.pool(), x.chip(), x.chips(), x.nodes(), thr.get(x.chip()) / sum));
        }
        return new Placement(r, out, estimate(r, sum, thr.size()), explanation);
    }

    // ---- step 2: which chip models ------------------------------------------------------------

    private record ChipOption(String chip, double throughput, boolean preferred) {
    }

    private List<ChipOption> eligible(ClusterSnapshot s, PlacementRequest r, List<String> unfit) {
        Set<String> chips = new LinkedHashSet<>();
        for (Pool p : s.pools()) {
            chips.add(p.chip());
        }
        for (Delivery d : s.deliveries()) {
            chips.add(d.chip());
        }
        List<ChipOption> out = new ArrayList<>();
        for (String chip : chips) {
            if (!r.allows(chip)) {
                continue;
            }
            double t = model.shardThroughput(r.workload(), chip, r.chipsPerShard(), r.tensorParallel());
            if (t > 0) {
                out.add(new ChipOption(chip, t, r.preferredChips().contains(chip)));
            } else {
                String why = model.whyUnfit(r.workload(), chip, r.chipsPerShard());
                unfit.add(chip + (why == null ? " cannot run this workload" : ": " + why));
            }
        }
        out.sort(Comparator.comparing((ChipOption o) -> !o.preferred)
                .thenComparing(o -> o.preferred ? r.preferredChips().indexOf(o.chip) : 0)
                .thenComparing(Comparator.comparingDouble(ChipOption::throughput).reversed())
                .thenComparing(ChipOption::chip));
        return out;
    }

    /**
     * A tensor-parallel group wider than every node of the job's chip models, in the pools and in the racks on order,
     * never fits: no preemption, release or delivery makes room for it, so the job is told so, as for a chip model
     * whose memory is too small ({@link PendingReason#NO_ELIGIBLE_CHIPS}). Null when some node is wide enough.
     */
    private static Decision.Pending neverFits(ClusterSnapshot s, PlacementRequest r, List<ChipOption> types, List<String> unfit) {
        int largest = largestNode(s, types);
        if (largest <= 0 || r.tensorParallel() <= largest) {
            return null;
        }
        List<String> chips = new ArrayList<>();
        types.forEach(t -> chips.add(t.chip));
        List<String> why = new ArrayList<>();
        why.add(String.format(Locale.ROOT,
                "tensorParallel %d exceeds the largest node (%d chips) of the allowed chip models (%s): a tensor-parallel group must sit on one node",
                r.tensorParallel(), largest, String.join(", ", chips)));
        why.addAll(unfit);
        return new Decision.Pending(r.jobId(), List.of(new PendingReason(PendingReason.NO_ELIGIBLE_CHIPS,
                "No chip model can take this job: " + String.join("; ", why) + ".")), null);
    }

    /** The most chips one node of these chip models holds, now or in a delivery (racked as in {@link #fitsWith}). */
    private static int largestNode(ClusterSnapshot s, List<ChipOption> types) {
        int largest = 0;
        for (int p = 0; p < s.poolCount(); p++) {
            if (indexOf(types, s.poolChip(p)) >= 0) {
                for (int node : s.poolNodes(p)) {
                    largest = Math.max(largest, s.capacityAt(node));
                }
            }
        }
        for (Delivery d : s.deliveries()) {
            if (d.quantity() > 0 && indexOf(types, d.chip()) >= 0) {
                largest = Math.max(largest, Math.min(d.quantity(), Math.max(1, d.chipsPerNode())));
            }
        }
        return largest;
    }

    // ---- step 3: how many shards of which chip model ----------------------------------------

    /** Shard counts per ranked chip option, and the notes on models left out. */
    private record Choice(int[] counts, List<String> notes) {
        int total() {
            int t = 0;
            for (int c : counts) {
                t += c;
            }
            return t;
        }
    }

    private Choice choose(ClusterSnapshot s, PlacementRequest r, List<ChipOption> types, int[] used, Set<String> avoid) {
        return choose(r, types, capacities(s, r, types, used, avoid));
    }

    /** The shard counts for given room per chip option (shards each option's pools can take). */
    private Choice choose(PlacementRequest r, List<ChipOption> types, int[] caps) {
        int n = types.size();
        List<String> notes = new ArrayList<>();
        if (r.mixing() == Mixing.SINGLE_TYPE || n == 1) {
            int best = -1;
            double bestValue = -1;
            boolean preferredFull = false;
            for (int i = 0; i < n; i++) {
                int k = Math.min(caps[i], r.shards());
                ChipOption t = types.get(i);
                boolean full = t.preferred && k == r.shards();
                double value = k * t.throughput;
                if (k < r.minShards() || preferredFull && !full) {
                    continue;
                }
                // a preferred model with room for every shard wins; otherwise the fastest option
                if (full && !preferredFull || value > bestValue * 1.0000001) {
                    best = i;
                    bestValue = value;
                    preferredFull = full;
                }
            }
            if (best < 0) {
                return null;
            }
            int[] counts = new int[n];
            counts[best] = Math.min(caps[best], r.shards());
            return new Choice(counts, notes);
        }
        int[] counts = new int[n];
        double sum = 0;
        int total = 0;
        int kinds = 0;
        for (int i = 0; i < n && total < r.shards(); i++) {
            int take = Math.min(caps[i], r.shards() - total);
            if (take == 0) {
                continue;
            }
            ChipOption t = types.get(i);
            double before = sum * mixing(kinds);
            double after = (sum + take * t.throughput) * mixing(kinds + 1);
            if (total < r.minShards() || after > before) {
                counts[i] = take;
                sum += take * t.throughput;
                total += take;
                kinds++;
            } else {
                notes.add(String.format(Locale.ROOT,
                        "Left out %s: %d more shards of it would not make the job faster (%.4g instead of %.4g steps/s, mixing chip models costs %.0f%%).",
                        t.chip, take, after, before, (1 - MIXING_EFFICIENCY) * 100));
            }
        }
        if (total < r.minShards()) {
            return null;
        }
        if (r.preferredChips().isEmpty() && kinds > 1) {
            // one fast model alone may beat the mix once the cost of mixing is counted
            double mixed = sum * mixing(kinds);
            for (int i = 0; i < n; i++) {
                int k = Math.min(caps[i], r.shards());
                if (k >= r.minShards() && k * types.get(i).throughput > mixed) {
                    int[] single = new int[n];
                    single[i] = k;
                    return new Choice(single, List.of(String.format(Locale.ROOT,
                            "Kept to %s alone: it is faster than mixing chip models for this workload.", types.get(i).chip)));
                }
            }
        }
        return new Choice(counts, notes);
    }

    private static double mixing(int kinds) {
        return kinds <= 1 ? 1.0 : Math.pow(MIXING_EFFICIENCY, kinds - 1);
    }

    /** How many whole shards each chip option's pools can take in the snapshot as it is: O(pools). */
    private int[] capacities(ClusterSnapshot s, PlacementRequest r, List<ChipOption> types) {
        int[] caps = new int[types.size()];
        for (int p = 0; p < s.poolCount(); p++) {
            int idx = indexOf(types, s.poolChip(p));
            if (idx >= 0) {
                caps[idx] += s.freeShards(p, r.tensorParallel(), r.groupsPerShard());
            }
        }
        return caps;
    }

    /** How many whole shards each chip option's pools can take with {@code used} as the bookings (a trial). */
    private int[] capacities(ClusterSnapshot s, PlacementRequest r, List<ChipOption> types, int[] used, Set<String> avoid) {
        int[] caps = new int[types.size()];
        int tp = r.tensorParallel();
        int gps = r.groupsPerShard();
        for (int p = 0; p < s.poolCount(); p++) {
            if (avoid.contains(s.poolName(p))) {
                continue;
            }
            int idx = indexOf(types, s.poolChip(p));
            if (idx < 0) {
                continue;
            }
            long groups = 0;
            for (int node : s.poolNodes(p)) {
                int free = s.capacityAt(node) - used[node];
                if (free >= tp) {
                    groups += free / tp;
                }
            }
            caps[idx] += (int) Math.min(Integer.MAX_VALUE, groups / gps);
        }
        return caps;
    }

    private static int indexOf(List<ChipOption> types, String chip) {
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).chip.equals(chip)) {
                return i;
            }
        }
        return -1;
    }

    // ---- step 4: packing onto nodes ----------------------------------------------------------

    private record PoolShard(int pool, List<NodeShare> nodes) {
    }

    /**
     * Allocates {@code count} shards of a chip model, booking them into {@code used}.
     *
     * @param fresh {@code used} holds the snapshot's own bookings on this chip model's pools, so their
     *              room comes from the snapshot's free-chip counts
     */
    private List<PoolShard> allocate(ClusterSnapshot s, PlacementRequest r, String chip, int count, int[] used, Set<String> avoid,
            boolean fresh) {
        int tp = r.tensorParallel();
        int gps = r.groupsPerShard();
        List<int[]> pools = new ArrayList<>(); // {pool, shards it can take}
        for (int p = 0; p < s.poolCount(); p++) {
            if (!s.poolChip(p).equals(chip) || avoid.contains(s.poolName(p))) {
                continue;
            }
            int cap;
            if (fresh) {
                cap = s.freeShards(p, tp, gps);
            } else {
                long groups = 0;
                for (int node : s.poolNodes(p)) {
                    int free = s.capacityAt(node) - used[node];
                    if (free >= tp) {
                        groups += free / tp;
                    }
                }
                cap = (int) Math.min(Integer.MAX_VALUE, groups / gps);
            }
            if (cap > 0) {
                pools.add(new int[] {p, cap});
            }
        }
        // the fullest pool that takes every shard keeps the job together and larger pools open;
        // if none does, the roomiest pools first so the job spans as few pools as possible
        pools.sort((a, b) -> {
            boolean fa = a[1] >= count;
            boolean fb = b[1] >= count;
            if (fa != fb) {
                return fa ? -1 : 1;
            }
            return fa ? Integer.compare(a[1], b[1]) : Integer.compare(b[1], a[1]);
        });
        List<PoolShard> out = new ArrayList<>(count);
        int remaining = count;
        for (int[] pc : pools) {
            if (remaining == 0) {
                break;
            }
            int k = Math.min(remaining, pc[1]);
            packPool(s, pc[0], tp, gps, k, used, out, fresh);
            remaining -= k;
        }
        if (remaining > 0) {
            throw new IllegalStateException("capacity count and packing disagree");
        }
        return out;
    }

    /**
     * Best-fit packing: a shard that fits on one node goes to the node with the least room that holds
     * it; a wider shard fills the emptiest-but-usable nodes first. Whole nodes stay free for jobs with
     * wide tensor-parallel groups instead of every node getting a little work.
     */
    private static void packPool(ClusterSnapshot s, int pool, int tp, int gps, int shards, int[] used, List<PoolShard> out,
            boolean fresh) {
        int[] nodes = s.poolNodes(pool);
        int need = gps * tp;
        if (shards == 1) {
            // the bucket walk below, for one shard that fits a node: the first node with the least room that holds it;
            // the snapshot's free-chip counts say how much room that is, so the walk stops at the first such node
            int target = fresh ? s.bestFitFree(pool, need) : 0;
            int best = -1;
            int bestFree = Integer.MAX_VALUE;
            for (int node : nodes) {
                int free = s.capacityAt(node) - used[node];
                if (free >= need && free < bestFree) {
                    best = node;
                    bestFree = free;
                    if (free == target) {
                        break;
                    }
                }
            }
            if (best >= 0) {
                List<NodeShare> shardNodes = new ArrayList<>(1);
                used[best] += need;
                shardNodes.add(new NodeShare(s.nodeName(best), need));
                out.add(new PoolShard(pool, shardNodes));
                return;
            }
        }
        int maxFree = 0;
        for (int node : nodes) {
            maxFree = Math.max(maxFree, s.capacityAt(node) - used[node]);
        }
        // buckets[f] holds the nodes with exactly f free chips (f >= tp)
        @SuppressWarnings("unchecked")
        ArrayDeque<Integer>[] buckets = new ArrayDeque[maxFree + 1];
        for (int node : nodes) {
            int free = s.capacityAt(node) - used[node];
            if (free >= tp) {
                if (buckets[free] == null) {
                    buckets[free] = new ArrayDeque<>();
                }
                buckets[free].addLast(node);
            }
        }
        for (int k = 0; k < shards; k++) {
            List<NodeShare> shardNodes = new ArrayList<>();
            int oneNode = -1;
            for (int f = need; f <= maxFree; f++) {
                if (buckets[f] != null && !buckets[f].isEmpty()) {
                    oneNode = f;
                    break;
                }
            }
            if (oneNode >= 0) {
                int node = buckets[oneNode].pollFirst();
                take(s, node, need, used, buckets, tp, shardNodes);
            } else {
                int groupsLeft = gps;
                while (groupsLeft > 0) {
                    int f = tp;
                    while (f <= maxFree && (buckets[f] == null || buckets[f].isEmpty())) {
                        f++;
                    }
                    if (f > maxFree) {
                        throw new IllegalStateException("capacity count and packing disagree");
                    }
                    int node = buckets[f].pollFirst();
                    int g = Math.min(groupsLeft, f / tp);
                    take(s, node, g * tp, used, buckets, tp, shardNodes);
                    groupsLeft -= g;
                }
            }
            out.add(new PoolShard(pool, shardNodes));
        }
    }

    private static void take(ClusterSnapshot s, int node, int chips, int[] used, ArrayDeque<Integer>[] buckets, int tp,
            List<NodeShare> shardNodes) {
        used[node] += chips;
        int left = s.capacityAt(node) - used[node];
        if (left >= tp) {
            if (buckets[left] == null) {
                buckets[left] = new ArrayDeque<>();
            }
            buckets[left].addFirst(node);
        }
        shardNodes.add(new NodeShare(s.nodeName(node), chips));
    }

    /** @param fresh {@code used} is a copy of the snapshot's bookings, not a trial with jobs released */
    private Placement build(ClusterSnapshot s, PlacementRequest r, List<ChipOption> types, Choice choice, int[] used, boolean fresh,
            List<String> unfit, List<String> preemptionNotes, List<String> preempted) {
        List<Shard> shards = new ArrayList<>();
        double sum = 0;
        int kinds = 0;
        Set<Integer> poolsUsed = new LinkedHashSet<>();
        Map<String, Map<String, Integer>> byChipPool = new LinkedHashMap<>();
        for (int i = 0; i < types.size(); i++) {
            int k = choice.counts()[i];
            if (k == 0) {
                continue;
            }
            kinds++;
            ChipOption t = types.get(i);
            sum += k * t.throughput;
            // each chip model's pools are allocated once, so earlier models' bookings never touch them
            for (PoolShard ps : allocate(s, r, t.chip, k, used, Set.of(), fresh)) {
                poolsUsed.add(ps.pool);
                byChipPool.computeIfAbsent(t.chip, c -> new LinkedHashMap<>()).merge(s.poolName(ps.pool), 1, Integer::sum);
                shards.add(new Shard(shards.size(), s.poolName(ps.pool), t.chip, r.chipsPerShard(), ps.nodes, 0));
            }
        }
        double total = sum;
        List<Shard> shared = new ArrayList<>(shards.size());
        for (Shard x : shards) {
            double thr = types.get(indexOf(types, x.chip())).throughput;
            shared.add(new Shard(x.index(), x.pool(), x.chip(), x.chips(), x.nodes(), thr / total));
        }
        Estimate estimate = estimate(r, sum, kinds);

        List<String> why = new ArrayList<>();
        StringBuilder where = new StringBuilder();
        byChipPool.forEach((chip, pools) -> pools.forEach((pool, n) -> {
            where.append(where.length() == 0 ? "" : "; ").append(n).append(" on ").append(chip).append(" in pool ").append(pool);
        }));
        why.add(String.format(Locale.ROOT, "Placed %d of %d shards of %d chips (tensor-parallel groups of %d kept on one node): %s.",
                shards.size(), r.shards(), r.chipsPerShard(), r.tensorParallel(), where));
        if (shards.size() < r.shards()) {
            why.add(String.format(Locale.ROOT,
                    "Runs with %d of the %d shards wanted (at least %d required): the allowed chip models have no room for more now.",
                    shards.size(), r.shards(), r.minShards()));
        }
        ChipOption first = null;
        for (int i = 0; i < types.size(); i++) {
            if (choice.counts()[i] > 0) {
                first = types.get(i);
                break;
            }
        }
        if (first != null) {
            why.add(String.format(Locale.ROOT, "%s is %s for this workload (communication %s): one shard of it does %.4g steps/s.",
                    first.chip, first.preferred ? "preferred" : "the fastest allowed chip model with room",
                    r.workload().communication().name().toLowerCase(Locale.ROOT), first.throughput));
        }
        if (kinds > 1) {
            StringBuilder split = new StringBuilder();
            for (int i = 0; i < types.size(); i++) {
                if (choice.counts()[i] > 0) {
                    split.append(split.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "each %s shard %.1f%%",
                            types.get(i).chip, 100 * types.get(i).throughput / total));
                }
            }
            why.add("Mixed chip models because the first had too little room and the estimate says the job gets faster with the others; "
                    + "the global batch is split by speed so fast shards do not wait for slow ones: " + split + ".");
        }
        why.addAll(choice.notes());
        for (String u : unfit) {
            why.add("Not used: " + u + ".");
        }
        why.addAll(preemptionNotes);
        int wholeFree = 0;
        if (fresh) {
            // the snapshot's idle nodes in those pools, less the ones this placement starts using
            for (int p : poolsUsed) {
                wholeFree += s.idleNodes(p);
            }
            Set<Integer> taken = new HashSet<>();
            for (Shard x : shards) {
                for (NodeShare ns : x.nodes()) {
                    int node = s.nodeIndex(ns.name());
                    if (s.idle(node) && taken.add(node)) {
                        wholeFree--;
                    }
                }
            }
        } else {
            for (int p : poolsUsed) {
                for (int node : s.poolNodes(p)) {
                    if (used[node] == 0 && s.capacityAt(node) > 0) {
                        wholeFree++;
                    }
                }
            }
        }
        why.add(String.format(Locale.ROOT,
                "Packed onto the fullest nodes that fit; %d whole nodes stay free in the pools used, for jobs with wide tensor-parallel groups.",
                wholeFree));
        return new Placement(r, shared, estimate, why);
    }

    private Estimate estimate(PlacementRequest r, double throughputSum, int kinds) {
        double rate = throughputSum * mixing(kinds);
        double h100 = model.h100Throughput(r.workload());
        return new Estimate(rate, h100 > 0 ? rate / h100 : 0);
    }

    // ---- step 5: preemption --------------------------------------------------------------------

    private Decision preempt(ClusterSnapshot s, PlacementRequest r, List<ChipOption> types, List<String> unfit) {
        // a victim is a lower-priority job or a borrower of a chip model some team has a quota of;
        // with neither in the snapshot the ledger holds no candidate, so it is not scanned
        if (!s.hasPriorityBelow(r.priority()) && types.stream().noneMatch(t -> s.hasQuota(t.chip))) {
            return null;
        }
        Set<String> allowed = new HashSet<>();
        types.forEach(t -> allowed.add(t.chip));
        List<Placement> reclaim = new ArrayList<>();
        List<Placement> lower = new ArrayList<>();
        for (Placement p : s.placements()) {
            boolean canReclaim = false;
            boolean canPreempt = false;
            for (Shard x : p.shards()) {
                if (!allowed.contains(x.chip())) {
                    continue;
                }
                canReclaim |= borrowedFrom(s, p, x.chip(), r);
                canPreempt |= p.request().priority() < r.priority() && mayTakeFrom(s, p, x.chip(), r);
            }
            if (canReclaim) {
                reclaim.add(p);
            } else if (canPreempt) {
                lower.add(p);
            }
        }
        Comparator<Placement> order = Comparator.comparingInt((Placement p) -> p.request().priority())
                .thenComparingInt(Placement::totalChips).thenComparing(Placement::jobId);
        reclaim.sort(order);
        lower.sort(order);
        List<Placement> candidates = new ArrayList<>(reclaim);
        candidates.addAll(lower);
        if (candidates.isEmpty()) {
            return null;
        }
        int[] used = s.usedCopy();
        for (Placement c : candidates) {
            s.release(used, c);
        }
        if (choose(s, r, types, used, Set.of()) == null) {
            return null;
        }
        // the shortest prefix of the candidates that makes room: freeing more never hurts, so bisect
        int lo = 1;
        int hi = candidates.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int[] trial = s.usedCopy();
            for (int i = 0; i < mid; i++) {
                s.release(trial, candidates.get(i));
            }
            if (choose(s, r, types, trial, Set.of()) != null) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        List<Placement> victims = new ArrayList<>(candidates.subList(0, lo));
        if (victims.size() <= MAX_PRUNED_VICTIMS) {
            // drop victims the job turns out not to need, latest (most valuable) first
            for (int i = victims.size() - 2; i >= 0; i--) {
                int[] trial = s.usedCopy();
                for (int j = 0; j < victims.size(); j++) {
                    if (j != i) {
                        s.release(trial, victims.get(j));
                    }
                }
                if (choose(s, r, types, trial, Set.of()) != null) {
                    victims.remove(i);
                }
            }
        }
        used = s.usedCopy();
        for (Placement v : victims) {
            s.release(used, v);
        }
        Choice choice = choose(s, r, types, used, Set.of());
        List<String> ids = victims.stream().map(Placement::jobId).toList();
        List<String> notes = new ArrayList<>();
        List<String> reclaimed = victims.stream().filter(reclaim::contains).map(Placement::jobId).toList();
        List<String> preempted = victims.stream().filter(v -> !reclaim.contains(v)).map(Placement::jobId).toList();
        if (!reclaimed.isEmpty()) {
            notes.add("Reclaimed chips that other teams borrowed beyond their quota, from jobs " + String.join(", ", reclaimed)
                    + ": team " + r.queue() + " is within its quota.");
        }
        if (!preempted.isEmpty()) {
            notes.add("Preempted lower-priority jobs " + String.join(", ", preempted) + " (priority below " + r.priority()
                    + "); they wait until chips free up.");
        }
        Placement placement = build(s, r, types, choice, used, false, unfit, notes, ids);
        return new Decision.Placed(placement, ids);
    }

    /** The victim's team holds more of {@code chip} than its quota and the requester has quota left. */
    private static boolean borrowedFrom(ClusterSnapshot s, Placement victim, String chip, PlacementRequest r) {
        String team = victim.request().queue();
        if (team.equals(r.queue())) {
            return false;
        }
        int q = s.quota(team, chip);
        int own = s.quota(r.queue(), chip);
        return q >= 0 && s.usage(team, chip) > q && s.usage(r.queue(), chip) < own;
    }

    /** Priority preemption across teams never takes a team's chips within its quota for a borrower. */
    private static boolean mayTakeFrom(ClusterSnapshot s, Placement victim, String chip, PlacementRequest r) {
        String team = victim.request().queue();
        int q = s.quota(team, chip);
        return team.equals(r.queue()) || q < 0 || s.usage(team, chip) > q || s.usage(r.queue(), chip) < s.quota(r.queue(), chip);
    }

    // ---- step 6: pending -------------------------------------------------------------------------

    private Decision pending(ClusterSnapshot s, PlacementRequest r, List<ChipOption> types, List<String> unfit) {
        List<PendingReason> reasons = new ArrayList<>();
        int[] caps = capacities(s, r, types);
        StringBuilder room = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            room.append(room.length() == 0 ? "" : ", ").append(types.get(i).chip).append(": ").append(caps[i]);
        }
        reasons.add(new PendingReason(PendingReason.INSUFFICIENT_CAPACITY, String.format(Locale.ROOT,
                "Needs at least %d shards of %d chips (tensor-parallel groups of %d on one node)%s; free room now, in shards: %s.",
                r.minShards(), r.chipsPerShard(), r.tensorParallel(),
                r.mixing() == Mixing.SINGLE_TYPE ? " of a single chip model" : "", room)));
        for (ChipOption t : types) {
            int q = s.quota(r.queue(), t.chip);
            if (q >= 0 && s.usage(r.queue(), t.chip) >= q) {
                reasons.add(new PendingReason(PendingReason.QUOTA_EXCEEDED, String.format(Locale.ROOT,
                        "Team %s holds %d of its quota of %d %s chips: beyond it the team can only borrow idle chips, and there are not enough.",
                        r.queue(), s.usage(r.queue(), t.chip), q, t.chip)));
            }
        }
        if (!unfit.isEmpty()) {
            reasons.add(new PendingReason(PendingReason.NO_ELIGIBLE_CHIPS, "Not usable: " + String.join("; ", unfit) + "."));
        }
        LocalDate earliest = earliestStart(s, r, types);
        if (earliest != null) {
            reasons.add(new PendingReason(PendingReason.WAITING_FOR_DELIVERY,
                    "Chips on order would let the job run from " + earliest + "."));
        }
        return new Decision.Pending(r.jobId(), reasons, earliest);
    }

    /** The first delivery date from which the delivered chips plus today's free chips take the job. */
    private LocalDate earliestStart(ClusterSnapshot s, PlacementRequest r, List<ChipOption> types) {
        if (types.isEmpty() || s.deliveries().isEmpty()) {
            return null;
        }
        LocalDate today = LocalDate.now(clock);
        List<Delivery> relevant = new ArrayList<>();
        for (Delivery d : s.deliveries()) {
            if (indexOf(types, d.chip()) >= 0 && d.quantity() > 0) {
                relevant.add(d);
            }
        }
        // more delivered chips never hurt: rule out "never" with everything delivered, then bisect the date
        int[] capsNow = capacities(s, r, types);
        if (relevant.isEmpty() || !fitsWith(s, r, types, relevant, relevant.size(), capsNow)) {
            return null;
        }
        int lo = 1;
        int hi = relevant.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (fitsWith(s, r, types, relevant, mid, capsNow)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        LocalDate date = relevant.get(lo - 1).date();
        return date.isBefore(today) ? today : date;
    }

    /** Whether the job fits on today's free chips plus the first {@code count} deliveries (by date). */
    private boolean fitsWith(ClusterSnapshot s, PlacementRequest r, List<ChipOption> types, List<Delivery> deliveries, int count,
            int[] capsNow) {
        int[] caps = capsNow.clone();
        int tp = r.tensorParallel();
        for (int k = 0; k < count; k++) {
            Delivery d = deliveries.get(k);
            // delivered chips arrive as their own racks: whole nodes of chipsPerNode, then the remainder
            int perNode = Math.max(1, d.chipsPerNode());
            long groups = (long) (d.quantity() / perNode) * (perNode / tp) + (d.quantity() % perNode) / tp;
            caps[indexOf(types, d.chip())] += (int) Math.min(Integer.MAX_VALUE / 2, groups / r.groupsPerShard());
        }
        return choose(r, types, caps) != null;
    }

    private static String allowedText(PlacementRequest r) {
        return r.allowedChips().isEmpty() ? "(any)" : String.valueOf(r.allowedChips());
    }
}
