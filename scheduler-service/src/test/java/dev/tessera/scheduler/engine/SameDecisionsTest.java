package dev.tessera.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.catalog.DefaultChips;
import dev.tessera.scheduler.perf.PerformanceModel;
import dev.tessera.scheduler.perf.ThroughputTable;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tuned engine and snapshot against {@link ReferenceEngine} (the engine before tuning) on a
 * snapshot rebuilt from scratch at every step: seeded random streams of jobs (priorities, teams with
 * quotas, gangs, tensor-parallel groups, allowed and preferred models, both mixing rules), releases,
 * shard moves, deliveries and a pool shrinking under its bookings must give equal decisions, and the
 * incrementally kept snapshot must equal the rebuilt one.
 */
class SameDecisionsTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
    static final String[] CHIPS = {"h100", "a100", "v100m32", "ascend-910b"};
    static final String[] TEAMS = {"vision", "speech", "llm"};

    final ThroughputModel model = new PerformanceModel(new ChipCatalog(DefaultChips.all()), ThroughputTable.empty());
    final PlacementEngine engine = new PlacementEngine(model, CLOCK);
    final ReferenceEngine reference = new ReferenceEngine(model, CLOCK);

    @Test
    void tunedEnginePlacesSeededStreamsExactlyAsTheReference() {
        int placed = 0;
        int preempting = 0;
        int pending = 0;
        for (long seed = 1; seed <= 40; seed++) {
            int[] counts = replay(seed, 250);
            placed += counts[0];
            preempting += counts[1];
            pending += counts[2];
        }
        // the streams exercise every branch: plain placements, preemptions and pending answers
        assertThat(placed).isGreaterThan(1000);
        assertThat(preempting).isGreaterThan(50);
        assertThat(pending).isGreaterThan(500);
    }

    /** One seeded stream; answers {placed, placed by preempting, pending}. */
    int[] replay(long seed, int steps) {
        Random rnd = new Random(seed);
        List<Pool> pools = fleet(rnd);
        List<Quota> quotas = new ArrayList<>();
        if (rnd.nextBoolean()) {
            for (String team : TEAMS) {
                quotas.add(new Quota(team, CHIPS[rnd.nextInt(CHIPS.length)], 4 + rnd.nextInt(12)));
            }
        }
        List<Delivery> deliveries = new ArrayList<>();
        if (rnd.nextBoolean()) {
            deliveries.add(new Delivery(CHIPS[rnd.nextInt(CHIPS.length)], 8 + rnd.nextInt(32),
                    LocalDate.of(2026, 12, 1 + rnd.nextInt(28)), rnd.nextBoolean() ? 8 : 4));
        }
        // one priority for every job in some streams (as in the openb trace), several in others
        int priorities = rnd.nextInt(3) == 0 ? 1 : 3;
        ClusterSnapshot fast = ClusterSnapshot.builder().pools(pools).quotas(quotas).deliveries(deliveries).build();
        Map<String, Placement> ledger = new LinkedHashMap<>();
        int[] counts = new int[3];
        for (int step = 0; step < steps; step++) {
            int op = rnd.nextInt(20);
            if (op < 4 && !ledger.isEmpty()) {
                List<String> ids = new ArrayList<>(ledger.keySet());
                String id = ids.get(rnd.nextInt(ids.size()));
                ledger.remove(id);
                fast = fast.without(id);
            } else if (op == 4 && !ledger.isEmpty()) {
                List<Placement> all = new ArrayList<>(ledger.values());
                Placement p = all.get(rnd.nextInt(all.size()));
                ClusterSnapshot ref = rebuild(pools, ledger, quotas, deliveries);
                var moved = engine.replaceShard(fast, p.jobId(), p.shards().get(0).index(), List.of());
                assertThat(moved).as("seed %d step %d move", seed, step)
                        .isEqualTo(reference.replaceShard(ref, p.jobId(), p.shards().get(0).index(), List.of()));
                if (moved.isPresent()) {
                    ledger.put(p.jobId(), moved.get());
                    fast = fast.withPlacement(moved.get());
                }
            } else if (op == 5) {
                // a node loses chips under its bookings (a sync after a failure): the node may be overbooked
                pools = shrinkOneNode(pools, rnd);
                fast = fast.withPools(pools);
            } else {
                PlacementRequest r = request("j" + step, rnd, priorities);
                ClusterSnapshot ref = rebuild(pools, ledger, quotas, deliveries);
                Decision d = engine.place(fast, r);
                assertThat(d).as("seed %d step %d", seed, step).isEqualTo(reference.place(ref, r));
                if (d instanceof Decision.Placed p) {
                    counts[p.preempted().isEmpty() ? 0 : 1]++;
                    p.preempted().forEach(ledger::remove);
                    ledger.put(p.jobId(), p.placement());
                    fast = fast.withPlacement(p.placement(), p.preempted());
                } else {
                    counts[2]++;
                }
            }
            assertSameState(fast, rebuild(pools, ledger, quotas, deliveries), seed, step);
        }
        return counts;
    }

    static ClusterSnapshot rebuild(List<Pool> pools, Map<String, Placement> ledger, List<Quota> quotas, List<Delivery> deliveries) {
        return ClusterSnapshot.builder().pools(pools).placements(ledger.values()).quotas(quotas).deliveries(deliveries).build();
    }

    static void assertSameState(ClusterSnapshot fast, ClusterSnapshot ref, long seed, int step) {
        assertThat(List.copyOf(fast.placements())).as("seed %d step %d ledger order", seed, step)
                .isEqualTo(List.copyOf(ref.placements()));
        for (Placement p : ref.placements()) {
            assertThat(fast.placement(p.jobId())).isEqualTo(p);
        }
        assertThat(fast.placement("absent")).isNull();
        assertThat(fast.overbookedNodes()).isEqualTo(ref.overbookedNodes());
        for (int pool = 0; pool < ref.poolCount(); pool++) {
            for (int node : ref.poolNodes(pool)) {
                String name = ref.nodeName(node);
                assertThat(fast.allocated(name)).as("seed %d step %d node %s", seed, step, name).isEqualTo(ref.allocated(name));
            }
            int idle = 0;
            for (int node : ref.poolNodes(pool)) {
                if (ref.capacityAt(node) > 0 && ref.allocated(ref.nodeName(node)) == 0) {
                    idle++;
                }
            }
            assertThat(fast.idleNodes(pool)).as("seed %d step %d pool %d idle nodes", seed, step, pool).isEqualTo(idle);
            // the kept free-chip counts against a walk over the nodes
            for (int tp : new int[] {1, 2, 4, 8}) {
                for (int gps : new int[] {1, 2, 3}) {
                    long groups = 0;
                    for (int node : ref.poolNodes(pool)) {
                        int free = ref.capacityAt(node) - ref.allocated(ref.nodeName(node));
                        if (free >= tp) {
                            groups += free / tp;
                        }
                    }
                    assertThat(fast.freeShards(pool, tp, gps)).as("seed %d step %d pool %d tp %d", seed, step, pool, tp)
                            .isEqualTo((int) (groups / gps));
                }
            }
        }
        for (String team : TEAMS) {
            for (String chip : CHIPS) {
                assertThat(fast.usage(team, chip)).isEqualTo(ref.usage(team, chip));
            }
        }
    }

    static List<Pool> fleet(Random rnd) {
        List<Pool> pools = new ArrayList<>();
        int count = 2 + rnd.nextInt(4);
        for (int p = 0; p < count; p++) {
            String chip = CHIPS[rnd.nextInt(CHIPS.length)];
            List<Node> nodes = new ArrayList<>();
            int n = 1 + rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                int[] sizes = {8, 8, 4, 2, 16};
                nodes.add(new Node("p" + p + "-n" + i, sizes[rnd.nextInt(sizes.length)]));
            }
            pools.add(new Pool("pool-" + p, chip, nodes));
        }
        return pools;
    }

    static List<Pool> shrinkOneNode(List<Pool> pools, Random rnd) {
        List<Pool> out = new ArrayList<>(pools);
        int p = rnd.nextInt(out.size());
        Pool pool = out.get(p);
        List<Node> nodes = new ArrayList<>(pool.nodes());
        int i = rnd.nextInt(nodes.size());
        nodes.set(i, new Node(nodes.get(i).name(), Math.max(0, nodes.get(i).chips() - 1 - rnd.nextInt(4))));
        out.set(p, new Pool(pool.name(), pool.chip(), nodes));
        return out;
    }

    static PlacementRequest request(String id, Random rnd, int priorities) {
        int[] perShard = {1, 2, 4, 8, 8, 16};
        int chipsPerShard = perShard[rnd.nextInt(perShard.length)];
        int tp = chipsPerShard;
        int pick = rnd.nextInt(3);
        if (pick == 1) {
            tp = 1;
        } else if (pick == 2 && chipsPerShard >= 2) {
            tp = chipsPerShard / 2;
        }
        tp = Math.min(tp, 8);
        while (chipsPerShard % tp != 0) {
            tp--;
        }
        int shards = 1 + (rnd.nextInt(3) == 0 ? rnd.nextInt(4) : 0);
        int minShards = 1 + rnd.nextInt(shards);
        List<String> allowed = new ArrayList<>();
        if (rnd.nextInt(3) == 0) {
            for (String c : CHIPS) {
                if (rnd.nextBoolean()) {
                    allowed.add(c);
                }
            }
        }
        List<String> preferred = rnd.nextInt(5) == 0 ? List.of(CHIPS[rnd.nextInt(CHIPS.length)]) : List.of();
        Communication[] comms = Communication.values();
        return new PlacementRequest(id, TEAMS[rnd.nextInt(TEAMS.length)], rnd.nextInt(priorities), shards, minShards,
                chipsPerShard, tp, allowed, preferred, rnd.nextBoolean() ? Mixing.SINGLE_TYPE : Mixing.ALLOWED,
                new Workload(null, comms[rnd.nextInt(comms.length)], rnd.nextInt(3) == 0 ? 70 : 7, 1000));
    }
}
