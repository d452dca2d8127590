package dev.tessera.scheduler.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.catalog.DefaultChips;
import dev.tessera.scheduler.engine.ClusterSnapshot;
import dev.tessera.scheduler.engine.Communication;
import dev.tessera.scheduler.engine.Decision;
import dev.tessera.scheduler.engine.Mixing;
import dev.tessera.scheduler.engine.Node;
import dev.tessera.scheduler.engine.NodeShare;
import dev.tessera.scheduler.engine.Placement;
import dev.tessera.scheduler.engine.PlacementEngine;
import dev.tessera.scheduler.engine.PlacementRequest;
import dev.tessera.scheduler.engine.Pool;
import dev.tessera.scheduler.engine.Shard;
import dev.tessera.scheduler.engine.Workload;
import dev.tessera.scheduler.perf.PerformanceModel;
import dev.tessera.scheduler.perf.ThroughputTable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LedgerTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T08:00:00Z"), ZoneOffset.UTC);
    final PlacementEngine engine = new PlacementEngine(
            new PerformanceModel(new ChipCatalog(DefaultChips.all()), ThroughputTable.empty()), CLOCK);

    static List<Pool> fleet() {
        List<Pool> pools = new ArrayList<>();
        for (String chip : List.of("a100", "h800", "ascend-910b")) {
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                nodes.add(new Node(chip + "-" + i, 8));
            }
            pools.add(new Pool(chip + "-pool", chip, nodes));
        }
        return pools;
    }

    static PlacementRequest job(String id, int shards, int chipsPerShard, int tp) {
        return new PlacementRequest(id, "team", 0, shards, 1, chipsPerShard, tp, List.of(), List.of(), Mixing.ALLOWED,
                new Workload(null, Communication.MEDIUM, 1, 0));
    }

    static void assertNoNodeOverbooked(ClusterSnapshot s) {
        Map<String, Integer> booked = new HashMap<>();
        for (Placement p : s.placements()) {
            for (Shard x : p.shards()) {
                for (NodeShare n : x.nodes()) {
                    booked.merge(n.name(), n.chips(), Integer::sum);
                }
            }
        }
        booked.forEach((node, chips) -> assertThat(chips).as(node).isLessThanOrEqualTo(s.capacity(node)));
    }

    @Test
    void aFreshLedgerRefusesToPlaceUntilSynced() {
        Ledger ledger = new Ledger(engine);
        assertThatThrownBy(() -> ledger.place(job("j", 1, 8, 8), List.of())).isInstanceOf(LedgerUnsyncedException.class);
        assertThat(ledger.release("j")).isFalse();
        ledger.sync(fleet(), List.of(), CLOCK.instant());
        assertThat(ledger.place(job("j", 1, 8, 8), List.of())).isInstanceOf(Decision.Placed.class);
    }

    @Test
    void aSyncedLedgerTakesNoSecondSync() {
        Ledger ledger = new Ledger(engine);
        ledger.sync(fleet(), List.of(), CLOCK.instant());
        assertThat(ledger.place(job("j", 1, 8, 8), List.of())).isInstanceOf(Decision.Placed.class);
        assertThatThrownBy(() -> ledger.sync(fleet(), List.of(), CLOCK.instant()))
                .isInstanceOf(LedgerAlreadySyncedException.class).hasMessageContaining(CLOCK.instant().toString());
        assertThat(ledger.placement("j")).isPresent();
    }

    @Test
    void restartsBetweenPlacementsNeverGiveAChipTwice() {
        Random random = new Random(42);
        Ledger ledger = new Ledger(engine);
        ledger.sync(fleet(), List.of(), CLOCK.instant());
        int placed = 0;
        for (int round = 0; round < 40; round++) {
            int cps = List.of(2, 4, 8, 16).get(random.nextInt(4));
            Decision d = ledger.place(job("job-" + round, 1 + random.nextInt(3), cps, Math.min(cps, 8)), List.of());
            placed += d instanceof Decision.Placed ? 1 : 0;
            if (random.nextInt(4) == 0 && !ledger.snapshot().placements().isEmpty()) {
                ledger.release(ledger.snapshot().placements().iterator().next().jobId());
            }
            if (round % 5 == 4) {
                // the process restarts: memory is gone; the operator re-tells what its statuses hold
                List<Placement> bound = new ArrayList<>(ledger.snapshot().placements());
                ledger = new Ledger(engine);
                Ledger.SyncResult r = ledger.sync(fleet(), bound, CLOCK.instant());
                assertThat(r.conflicts()).isEmpty();
                assertThat(ledger.snapshot().placements()).hasSameSizeAs(bound);
            }
            assertNoNodeOverbooked(ledger.snapshot());
        }
        assertThat(placed).isGreaterThan(5);
        ClusterSnapshot end = ledger.snapshot();
        assertThat(end.pools().stream().flatMap(p -> p.nodes().stream()).mapToInt(n -> end.free(n.name())).sum())
                .isLessThan(6 * 8 * 3);
    }

    @Test
    void syncedPlacementsThatNoLongerFitStayBookedAsConflicts() {
        Ledger ledger = new Ledger(engine);
        Pool p = new Pool("p", "a100", List.of(new Node("n1", 8)));
        Placement x = engine.rebalance(job("x", 1, 8, 8), List.of(new Shard(0, "p", "a100", 8, List.of(new NodeShare("n1", 8)), 1)), List.of());
        Placement y = engine.rebalance(job("y", 1, 8, 8), List.of(new Shard(0, "p", "a100", 8, List.of(new NodeShare("n1", 8)), 1)), List.of());
        Placement gone = engine.rebalance(job("gone", 1, 8, 8),
                List.of(new Shard(0, "old", "a100", 8, List.of(new NodeShare("old-1", 8)), 1)), List.of());
        Ledger.SyncResult r = ledger.sync(List.of(p), List.of(x, y, gone), CLOCK.instant());
        assertThat(r.conflicts()).containsExactly("x", "y", "gone");
        assertThat(ledger.snapshot().free("n1")).isZero();
        assertThat(ledger.place(job("z", 1, 8, 8), List.of())).isInstanceOf(Decision.Pending.class);
        ledger.release("x");
        assertThat(ledger.place(job("z", 1, 8, 8), List.of())).isInstanceOf(Decision.Pending.class);
        ledger.release("y");
        assertThat(ledger.place(job("z", 1, 8, 8), List.of())).isInstanceOf(Decision.Placed.class);
    }
}
