package dev.tessera.scheduler.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable view of the fleet: pools and their nodes, the ledger of placements, team quotas and
 * chips on order. Every change answers a new snapshot that shares what did not change: the pool
 * structure, the ledger (a persistent tree, so booking a job copies O(log jobs) entries, not the
 * ledger) and the free-chip counts of untouched pools. Per pool it keeps how many nodes have each
 * number of free chips, so the engine sizes a pool's room without walking its nodes.
 *
 * <p>A placement may sit on a node that is no longer in any pool (the node left the last pool
 * snapshot); its chips stay booked in the ledger until the job is released.
 */
public final class ClusterSnapshot {

    private final Structure structure;
    private final int[] used;
    /** freeNodes[pool][f]: nodes of the pool with exactly f free chips (an overbooked node counts as 0). */
    private final int[][] freeNodes;
    /** Nodes per pool with chips and nothing booked on them. */
    private final int[] idleNodes;
    private final LedgerTree placements;
    /** Distinct priorities of the placed jobs, ascending, and how many jobs hold each. */
    private final int[] priorities;
    private final int[] priorityCounts;
    private volatile List<Placement> ordered;
    private final Map<String, Map<String, Integer>> usage;
    private final Map<String, Map<String, Integer>> quotas;
    private final Set<String> chipsWithQuota;
    private final List<Delivery> deliveries;

    private ClusterSnapshot(Structure structure, int[] used, int[][] freeNodes, int[] idleNodes, LedgerTree placements,
            int[] priorities, int[] priorityCounts, Map<String, Map<String, Integer>> usage, List<Quota> quotaList,
            List<Delivery> deliveries) {
        this.structure = structure;
        this.used = used;
        this.freeNodes = freeNodes;
        this.idleNodes = idleNodes;
        this.placements = placements;
        this.priorities = priorities;
        this.priorityCounts = priorityCounts;
        this.usage = usage;
        Map<String, Map<String, Integer>> q = new HashMap<>();
        Set<String> qc = new HashSet<>();
        for (Quota quota : quotaList) {
            q.computeIfAbsent(quota.team(), t -> new HashMap<>()).merge(quota.chip(), quota.quantity(), Integer::sum);
            qc.add(quota.chip());
        }
        this.quotas = q;
        this.chipsWithQuota = qc;
        this.deliveries = deliveries;
    }

    private ClusterSnapshot(ClusterSnapshot base, Change c) {
        this.structure = base.structure;
        this.used = c.used;
        this.freeNodes = c.freeNodes;
        this.idleNodes = c.idleNodes;
        this.placements = c.ledger;
        this.priorities = c.priorities;
        this.priorityCounts = c.priorityCounts;
        this.usage = c.usage;
        this.quotas = base.quotas;
        this.chipsWithQuota = base.chipsWithQuota;
        this.deliveries = base.deliveries;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An empty fleet. */
    public static ClusterSnapshot empty() {
        return builder().build();
    }

    // ---- reading ----------------------------------------------------------------------------

    public List<Pool> pools() {
        return structure.pools;
    }

    /** The ledger in booking order (a job booked again keeps its place). */
    public Collection<Placement> placements() {
        List<Placement> list = ordered;
        if (list == null) {
            List<LedgerTree.Entry> entries = new ArrayList<>(placements.size());
            placements.forEach(entries::add);
            entries.sort(Comparator.comparingLong(LedgerTree.Entry::seq));
            List<Placement> out = new ArrayList<>(entries.size());
            entries.forEach(e -> out.add(e.placement()));
            list = Collections.unmodifiableList(out);
            ordered = list;
        }
        return list;
    }

    public Placement placement(String jobId) {
        LedgerTree.Entry e = placements.get(jobId);
        return e == null ? null : e.placement();
    }

    public List<Delivery> deliveries() {
        return deliveries;
    }

    public List<Quota> quotas() {
        List<Quota> list = new ArrayList<>();
        quotas.forEach((team, byChip) -> byChip.forEach((chip, n) -> list.add(new Quota(team, chip, n))));
        return list;
    }

    /** Chips booked on a node, including bookings beyond its current capacity. */
    public int allocated(String node) {
        Integer i = structure.nodeIndex.get(node);
        return i == null ? 0 : used[i];
    }

    public int capacity(String node) {
        Integer i = structure.nodeIndex.get(node);
        return i == null ? 0 : structure.capacity[i];
    }

    public int free(String node) {
        Integer i = structure.nodeIndex.get(node);
        return i == null ? 0 : Math.max(0, structure.capacity[i] - used[i]);
    }

    /** The team's quota of a chip model, or -1 when no team has a quota of it (then nobody borrows it). */
    public int quota(String team, String chip) {
        if (!chipsWithQuota.contains(chip)) {
            return -1;
        }
        return quotas.getOrDefault(team, Map.of()).getOrDefault(chip, 0);
    }

    /** Chips of a model the team's placements hold now. */
    public int usage(String team, String chip) {
        return usage.getOrDefault(team, Map.of()).getOrDefault(chip, 0);
    }

    /** Nodes whose bookings exceed their capacity (after a sync with placements that no longer fit). */
    public Set<String> overbookedNodes() {
        Set<String> nodes = new HashSet<>();
        for (int i = 0; i < used.length; i++) {
            if (used[i] > structure.capacity[i]) {
                nodes.add(structure.nodeNames[i]);
            }
        }
        return nodes;
    }

    /** True when every node a placement names is in a pool of the shard's chip model. */
    public boolean isKnown(Shard shard) {
        Pool pool = structure.poolByName.get(shard.pool());
        if (pool == null || !pool.chip().equals(shard.chip())) {
            return false;
        }
        for (NodeShare ns : shard.nodes()) {
            Integer i = structure.nodeIndex.get(ns.name());
            if (i == null || !structure.poolNames[structure.nodePool[i]].equals(shard.pool())) {
                return false;
            }
        }
        return true;
    }

    // ---- changing -----------------------------------------------------------------------------

    /** The same ledger, quotas and deliveries over a new set of pools. */
    public ClusterSnapshot withPools(Collection<Pool> pools) {
        return new Builder().pools(pools).placements(placements()).quotas(quotas())
                .deliveries(deliveries).build();
    }

    /** The same pools and ledger with new quotas and deliveries. */
    public ClusterSnapshot withAvailability(Collection<Quota> quotas, Collection<Delivery> deliveries) {
        return new ClusterSnapshot(structure, used, freeNodes, idleNodes, placements, priorities, priorityCounts, usage,
                List.copyOf(quotas), sortedDeliveries(deliveries));
    }

    /** Books a placement; {@code released} jobs (the preempted ones) leave the ledger first. */
    public ClusterSnapshot withPlacement(Placement placement, Collection<String> released) {
        Change c = new Change(this);
        for (String jobId : released) {
            LedgerTree.Entry old = c.ledger.get(jobId);
            if (old != null) {
                c.ledger = c.ledger.without(jobId);
                c.book(old.placement(), -1);
            }
        }
        LedgerTree.Entry replaced = c.ledger.get(placement.jobId());
        if (replaced != null) {
            // a job booked again keeps its place in the ledger's order
            c.ledger = c.ledger.with(placement.jobId(), new LedgerTree.Entry(replaced.seq(), placement));
            c.book(replaced.placement(), -1);
        } else {
            c.ledger = c.ledger.with(placement.jobId(), new LedgerTree.Entry(c.ledger.nextSeq(), placement));
        }
        c.book(placement, +1);
        return new ClusterSnapshot(this, c);
    }

    public ClusterSnapshot withPlacement(Placement placement) {
        return withPlacement(placement, List.of());
    }

    /** Releases a job's chips; the same snapshot when the job is unknown. */
    public ClusterSnapshot without(String jobId) {
        LedgerTree.Entry old = placements.get(jobId);
        if (old == null) {
            return this;
        }
        Change c = new Change(this);
        c.ledger = c.ledger.without(jobId);
        c.book(old.placement(), -1);
        return new ClusterSnapshot(this, c);
    }

    // ---- engine internals -------------------------------------------------------------------

    int[] usedCopy() {
        return used.clone();
    }

    int capacityAt(int node) {
        return structure.capacity[node];
    }

    /** Takes a placement's chips off a booking-count array, as if the job were released. */
    void release(int[] bookings, Placement p) {
        for (Shard s : p.shards()) {
            for (NodeShare ns : s.nodes()) {
                Integer i = structure.nodeIndex.get(ns.name());
                if (i != null) {
                    bookings[i] -= ns.chips();
                }
            }
        }
    }

    int poolCount() {
        return structure.poolNames.length;
    }

    String poolName(int pool) {
        return structure.poolNames[pool];
    }

    String poolChip(int pool) {
        return structure.poolChips[pool];
    }

    int[] poolNodes(int pool) {
        return structure.poolNodes[pool];
    }

    /** A pool node's index; -1 for a node in no pool. */
    int nodeIndex(String name) {
        Integer i = structure.nodeIndex.get(name);
        return i == null ? -1 : i;
    }

    String nodeName(int node) {
        return structure.nodeNames[node];
    }

    /** Whole shards of {@code groupsPerShard} groups of {@code tp} chips each on one node, the pool can take now. */
    int freeShards(int pool, int tp, int groupsPerShard) {
        int[] hist = freeNodes[pool];
        long groups = 0;
        for (int f = tp; f < hist.length; f++) {
            groups += (long) hist[f] * (f / tp);
        }
        return (int) Math.min(Integer.MAX_VALUE, groups / groupsPerShard);
    }

    /** The least number of free chips, at least {@code need}, some node of the pool has; -1 when none has. */
    int bestFitFree(int pool, int need) {
        int[] hist = freeNodes[pool];
        for (int f = need; f < hist.length; f++) {
            if (hist[f] > 0) {
                return f;
            }
        }
        return -1;
    }

    /** Nodes of the pool with chips and nothing booked. */
    int idleNodes(int pool) {
        return idleNodes[pool];
    }

    /** True when the node has chips and nothing booked. */
    boolean idle(int node) {
        return used[node] == 0 && structure.capacity[node] > 0;
    }

    /** True when some placed job has a priority below {@code priority}. */
    boolean hasPriorityBelow(int priority) {
        return priorities.length > 0 && priorities[0] < priority;
    }

    /** True when some team has a quota of {@code chip}: only then can chips of it be borrowed and reclaimed. */
    boolean hasQuota(String chip) {
        return chipsWithQuota.contains(chip);
    }

    /** The snapshot's state copied on write: whole arrays for node bookings, one row per touched pool. */
    private static final class Change {
        final Structure structure;
        final int[] used;
        final int[][] freeNodes;
        final int[] idleNodes;
        final boolean[] rowCopied;
        LedgerTree ledger;
        int[] priorities;
        int[] priorityCounts;
        final Map<String, Map<String, Integer>> usage;

        Change(ClusterSnapshot base) {
            structure = base.structure;
            used = base.used.clone();
            freeNodes = base.freeNodes.clone();
            idleNodes = base.idleNodes.clone();
            rowCopied = new boolean[freeNodes.length];
            ledger = base.placements;
            priorities = base.priorities;
            priorityCounts = base.priorityCounts;
            usage = copyUsage(base.usage);
        }

        void book(Placement p, int sign) {
            for (Shard s : p.shards()) {
                for (NodeShare ns : s.nodes()) {
                    Integer i = structure.nodeIndex.get(ns.name());
                    if (i != null) {
                        int before = Math.max(0, structure.capacity[i] - used[i]);
                        boolean wasIdle = used[i] == 0;
                        used[i] += sign * ns.chips();
                        int after = Math.max(0, structure.capacity[i] - used[i]);
                        int pool = structure.nodePool[i];
                        if (structure.capacity[i] > 0 && wasIdle != (used[i] == 0)) {
                            idleNodes[pool] += wasIdle ? -1 : 1;
                        }
                        if (before != after) {
                            if (!rowCopied[pool]) {
                                freeNodes[pool] = freeNodes[pool].clone();
                                rowCopied[pool] = true;
                            }
                            freeNodes[pool][before]--;
                            freeNodes[pool][after]++;
                        }
                    }
                }
                usage.computeIfAbsent(p.request().queue(), t -> new HashMap<>()).merge(s.chip(), sign * s.chips(), Integer::sum);
            }
            countPriority(p.request().priority(), sign);
        }

        private void countPriority(int priority, int sign) {
            int at = java.util.Arrays.binarySearch(priorities, priority);
            if (at >= 0) {
                int n = priorityCounts[at] + sign;
                if (n > 0) {
                    priorityCounts = priorityCounts.clone();
                    priorityCounts[at] = n;
                } else {
                    priorities = remove(priorities, at);
                    priorityCounts = remove(priorityCounts, at);
                }
            } else if (sign > 0) {
                int ins = -at - 1;
                priorities = insert(priorities, ins, priority);
                priorityCounts = insert(priorityCounts, ins, 1);
            }
        }

        private static int[] remove(int[] a, int at) {
            int[] b = new int[a.length - 1];
            System.arraycopy(a, 0, b, 0, at);
            System.arraycopy(a, at + 1, b, at, a.length - at - 1);
            return b;
        }

        private static int[] insert(int[] a, int at, int v) {
            int[] b = new int[a.length + 1];
            System.arraycopy(a, 0, b, 0, at);
            b[at] = v;
            System.arraycopy(a, at, b, at + 1, a.length - at);
            return b;
        }
    }

    private static Map<String, Map<String, Integer>> copyUsage(Map<String, Map<String, Integer>> usage) {
        Map<String, Map<String, Integer>> copy = new HashMap<>();
        usage.forEach((k, v) -> copy.put(k, new HashMap<>(v)));
        return copy;
    }

    private static List<Delivery> sortedDeliveries(Collection<Delivery> deliveries) {
        List<Delivery> list = new ArrayList<>(deliveries);
        list.sort(Comparator.comparing(Delivery::date));
        return List.copyOf(list);
    }

    /** Pools flattened into arrays; shared by every snapshot derived from one pool set. */
    private static final class Structure {
        final List<Pool> pools;
        final Map<String, Pool> poolByName = new HashMap<>();
        final String[] poolNames;
        final String[] poolChips;
        final int[][] poolNodes;
        final String[] nodeNames;
        final int[] capacity;
        final int[] nodePool;
        final Map<String, Integer> nodeIndex = new HashMap<>();

        /** Nodes with chips per pool. */
        int[] nodesWithChips() {
            int[] idle = new int[poolNodes.length];
            for (int p = 0; p < poolNodes.length; p++) {
                for (int node : poolNodes[p]) {
                    if (capacity[node] > 0) {
                        idle[p]++;
                    }
                }
            }
            return idle;
        }

        /** Free-chip counts per pool with nothing booked. */
        int[][] emptyFreeNodes() {
            int[][] hist = new int[poolNodes.length][];
            for (int p = 0; p < poolNodes.length; p++) {
                int max = 0;
                for (int node : poolNodes[p]) {
                    max = Math.max(max, capacity[node]);
                }
                hist[p] = new int[max + 1];
                for (int node : poolNodes[p]) {
                    hist[p][capacity[node]]++;
                }
            }
            return hist;
        }

        Structure(List<Pool> pools) {
            this.pools = List.copyOf(pools);
            int n = 0;
            for (Pool p : pools) {
                n += p.nodes().size();
            }
            poolNames = new String[pools.size()];
            poolChips = new String[pools.size()];
            poolNodes = new int[pools.size()][];
            nodeNames = new String[n];
            capacity = new int[n];
            nodePool = new int[n];
            int k = 0;
            for (int pi = 0; pi < pools.size(); pi++) {
                Pool p = pools.get(pi);
                poolByName.put(p.name(), p);
                poolNames[pi] = p.name();
                poolChips[pi] = p.chip();
                poolNodes[pi] = new int[p.nodes().size()];
                for (int ni = 0; ni < p.nodes().size(); ni++) {
                    Node node = p.nodes().get(ni);
                    nodeNames[k] = node.name();
                    capacity[k] = Math.max(0, node.chips());
                    nodePool[k] = pi;
                    poolNodes[pi][ni] = k;
                    if (nodeIndex.putIfAbsent(node.name(), k) != null) {
                        throw new IllegalArgumentException("node " + node.name() + " appears twice");
                    }
                    k++;
                }
            }
        }
    }

    /** Collects pools, placements, quotas and deliveries into a snapshot. */
    public static final class Builder {
        private final List<Pool> pools = new ArrayList<>();
        private final List<Placement> placements = new ArrayList<>();
        private final List<Quota> quotas = new ArrayList<>();
        private final List<Delivery> deliveries = new ArrayList<>();

        public Builder pool(Pool pool) {
            pools.add(pool);
            return this;
        }

        /** A pool of {@code nodes} identical nodes named {@code <name>-0}, {@code <name>-1}, ... */
        public Builder pool(String name, String chip, int nodes, int chipsPerNode) {
            List<Node> list = new ArrayList<>(nodes);
            for (int i = 0; i < nodes; i++) {
                list.add(new Node(name + "-" + i, chipsPerNode));
            }
            return pool(new Pool(name, chip, list));
        }

        public Builder pools(Collection<Pool> all) {
            pools.addAll(all);
            return this;
        }

        public Builder placement(Placement placement) {
            placements.add(placement);
            return this;
        }

        public Builder placements(Collection<Placement> all) {
            placements.addAll(all);
            return this;
        }

        public Builder quota(String team, String chip, int quantity) {
            quotas.add(new Quota(team, chip, quantity));
            return this;
        }

        public Builder quotas(Collection<Quota> all) {
            quotas.addAll(all);
            return this;
        }

        public Builder delivery(Delivery delivery) {
            deliveries.add(delivery);
            return this;
        }

        public Builder deliveries(Collection<Delivery> all) {
            deliveries.addAll(all);
            return this;
        }

        /**
         * @throws IllegalArgumentException when a node name appears twice or a job twice
         */
        public ClusterSnapshot build() {
            Structure structure = new Structure(pools);
            ClusterSnapshot s = new ClusterSnapshot(structure, new int[structure.capacity.length], structure.emptyFreeNodes(),
                    structure.nodesWithChips(), LedgerTree.EMPTY, new int[0], new int[0], Map.of(), List.copyOf(quotas), sortedDeliveries(deliveries));
            Change c = new Change(s);
            for (Placement placement : placements) {
                if (c.ledger.get(placement.jobId()) != null) {
                    throw new IllegalArgumentException("job " + placement.jobId() + " appears twice");
                }
                c.ledger = c.ledger.with(placement.jobId(), new LedgerTree.Entry(c.ledger.nextSeq(), placement));
                c.book(placement, +1);
            }
            return new ClusterSnapshot(s, c);
        }
    }
}
