package dev.tessera.scheduler.engine;

import static dev.tessera.scheduler.engine.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementEngineTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T08:00:00Z"), ZoneOffset.UTC);
    final PlacementEngine engine = new PlacementEngine(
            new FixedThroughputs(Map.of("h100", 3.0, "a100", 1.0, "p100", 0.01, "h800", 2.5)), CLOCK);

    static Placement placed(Decision d) {
        assertThat(d).isInstanceOf(Decision.Placed.class);
        return ((Decision.Placed) d).placement();
    }

    static Decision.Pending pending(Decision d) {
        assertThat(d).isInstanceOf(Decision.Pending.class);
        return (Decision.Pending) d;
    }

    static Set<String> reasons(Decision.Pending p) {
        Set<String> r = new HashSet<>();
        p.reasons().forEach(x -> r.add(x.reason()));
        return r;
    }

    @Test
    void gangPlacesAtLeastMinShardsOrNothing() {
        ClusterSnapshot s = ClusterSnapshot.builder().pool("a", "a100", 2, 8).build();
        Decision.Pending p = pending(engine.place(s, job("j").shards(4).minShards(3).build()));
        assertThat(reasons(p)).contains(PendingReason.INSUFFICIENT_CAPACITY);
        assertThat(p.earliestStart()).isNull();

        Placement placement = placed(engine.place(s, job("j").shards(4).minShards(2).build()));
        assertThat(placement.shards()).hasSize(2);
        assertThat(placement.explanation()).anyMatch(e -> e.contains("2 of the 4 shards"));
    }

    @Test
    void tensorParallelGroupsNeverSpanNodes() {
        ClusterSnapshot s = ClusterSnapshot.builder().pool(new Pool("a", "a100",
                List.of(new Node("n1", 6), new Node("n2", 6), new Node("n3", 3)))).build();
        // no node holds 8: a group of 8 can never fit, however many chips the pool has free
        assertThat(reasons(pending(engine.place(s, job("wide").chips(8, 8).build()))))
                .containsExactly(PendingReason.NO_ELIGIBLE_CHIPS);

        Placement p = placed(engine.place(s, job("split").chips(8, 4).build()));
        Shard shard = p.shards().get(0);
        assertThat(shard.chips()).isEqualTo(8);
        assertThat(shard.nodes()).hasSize(2).allMatch(ns -> ns.chips() % 4 == 0);
        assertThat(shard.nodes()).extracting(NodeShare::name).containsExactlyInAnyOrder("n1", "n2");
    }

    @Test
    void aTensorParallelGroupWiderThanEveryNodeIsToldItNeverFits() {
        ClusterSnapshot s = ClusterSnapshot.builder().pool("a", "a100", 4, 8).pool("h", "h100", 2, 4).build();
        Decision.Pending p = pending(engine.place(s, job("tp16").chips(16, 16).build()));
        assertThat(p.reasons()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(PendingReason.NO_ELIGIBLE_CHIPS);
            assertThat(r.message()).contains("tensorParallel 16 exceeds the largest node (8 chips) of the allowed chip models (");
        });
        assertThat(p.earliestStart()).isNull();

        // only the job's chip models count: the 8-chip a100 nodes do not help a job kept to h100
        assertThat(pending(engine.place(s, job("h8").chips(8, 8).allowed("h100").build())).reasons().get(0).message())
                .contains("tensorParallel 8 exceeds the largest node (4 chips) of the allowed chip models (h100)");

        // busy nodes that are wide enough are a matter of capacity, not of never
        ClusterSnapshot busy = s.withPlacement(placed(engine.place(s, job("fill").shards(4).allowed("a100").build())));
        assertThat(reasons(pending(engine.place(busy, job("a8").chips(8, 8).allowed("a100").build()))))
                .contains(PendingReason.INSUFFICIENT_CAPACITY).doesNotContain(PendingReason.NO_ELIGIBLE_CHIPS);

        // racks of 16 on order: the job waits for them instead
        ClusterSnapshot ordered = ClusterSnapshot.builder().pool("a", "a100", 4, 8)
                .delivery(new Delivery("a100", 32, LocalDate.of(2027, 1, 10), 16)).build();
        Decision.Pending waits = pending(engine.place(ordered, job("tp16").chips(16, 16).build()));
        assertThat(reasons(waits)).contains(PendingReason.WAITING_FOR_DELIVERY).doesNotContain(PendingReason.NO_ELIGIBLE_CHIPS);
        assertThat(waits.earliestStart()).isEqualTo(LocalDate.of(2027, 1, 10));
    }

    @Test
    void singleTypeKeepsOneChipModelAndPicksTheFastest() {
        ClusterSnapshot s = ClusterSnapshot.builder().pool("a", "a100", 2, 8).pool("h", "h100", 2, 8).build();
        Placement p = placed(engine.place(s, job("j").shards(4).minShards(2).singleType().build()));
        assertThat(p.shards()).hasSize(2).allMatch(x -> x.chip().equals("h100"));
        assertThat(p.shards()).allMatch(x -> Math.abs(x.batchShare() - 0.5) < 1e-9);
    }

    @Test
    void mixingSplitsTheBatchByThroughput() {
        ClusterSnapshot s = ClusterSnapshot.builder().pool("a", "a100", 2, 8).pool("h", "h100", 2, 8).build();
        Placement p = placed(engine.place(s, job("j").shards(4).build()));
        assertThat(p.shards()).hasSize(4);
        double sum = p.shards().stream().mapToDouble(Shard::batchShare).sum();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        for (Shard x : p.shards()) {
            // h100 does 3 per chip, a100 1: shares 24/64 and 8/64
            assertThat(x.batchShare()).isCloseTo(x.chip().equals("h100") ? 0.375 : 0.125, org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(p.estimate().stepsPerSecond()).isCloseTo((2 * 24 + 2 * 8) * PlacementEngine.MIXING_EFFICIENCY,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.explanation()).anyMatch(e -> e.contains("split by speed"));
    }

    @Test
    void aSlowerChipModelJoinsOnlyWhenTheJobGetsFaster() {
        ClusterSnapshot slow = ClusterSnapshot.builder().pool("h", "h100", 4, 8).pool("p", "p100", 4, 8).build();
        Placement p = placed(engine.place(slow, job("j").shards(8).minShards(4).build()));
        assertThat(p.shards()).hasSize(4).allMatch(x -> x.chip().equals("h100"));
        assertThat(p.explanation()).anyMatch(e -> e.startsWith("Left out p100"));

        ClusterSnapshot useful = ClusterSnapshot.builder().pool("h", "h100", 4, 8).pool("a", "a100", 4, 8).build();
        Placement q = placed(engine.place(useful, job("j").shards(8).minShards(4).build()));
        assertThat(q.shards()).hasSize(8);
        assertThat(q.shards()).extracting(Shard::chip).contains("h100", "a100");
    }

    @Test
    void allowedAndPreferredChipsAreHonoured() {
        ClusterSnapshot s = ClusterSnapshot.builder().pool("a", "a100", 2, 8).pool("h", "h100", 2, 8).build();
        assertThat(placed(engine.place(s, job("j").allowed("a100").build())).shards())
                .allMatch(x -> x.chip().equals("a100"));
        assertThat(placed(engine.place(s, job("k").shards(2).preferred("a100").build())).shards())
                .allMatch(x -> x.chip().equals("a100"));
        Decision.Pending none = pending(engine.place(s, job("l").allowed("h800").build()));
        assertThat(reasons(none)).containsExactly(PendingReason.NO_ELIGIBLE_CHIPS);
    }

    @Test
    void higherPriorityPreemptsTheFewestLowerPriorityJobs() {
        ClusterSnapshot s = ClusterSnapshot.builder().pool("a", "a100", 2, 8).build();
        s = s.withPlacement(placed(engine.place(s, job("low").priority(1).build())));
        s = s.withPlacement(placed(engine.place(s, job("lowest").priority(0).build())));

        assertThat(reasons(pending(engine.place(s, job("same").priority(0).build()))))
                .contains(PendingReason.INSUFFICIENT_CAPACITY);

        Decision d = engine.place(s, job("high").priority(10).build());
        assertThat(((Decision.Placed) d).preempted()).containsExactly("lowest");
        assertThat(placed(d).explanation()).anyMatch(e -> e.contains("Preempted lower-priority jobs lowest"));
        ClusterSnapshot after = s.withPlacement(placed(d), ((Decision.Placed) d).preempted());
        assertThat(after.placement("lowest")).isNull();
        assertThat(after.placement("low")).isNotNull();
        assertThat(after.overbookedNodes()).isEmpty();
    }

    @Test
    void borrowedChipsAreReclaimedFirstForTheQuotaOwner() {
        ClusterSnapshot s = ClusterSnapshot.builder().pool("a", "a100", 2, 8).quota("owner", "a100", 8).build();
        // the borrower has no quota but idle chips are free to borrow, even both nodes
        s = s.withPlacement(placed(engine.place(s, job("b1").queue("borrower").priority(50).build())));
        s = s.withPlacement(placed(engine.place(s, job("b2").queue("borrower").priority(50).build())));

        Decision d = engine.place(s, job("own").queue("owner").priority(0).build());
        assertThat(((Decision.Placed) d).preempted()).hasSize(1);
        assertThat(placed(d).explanation()).anyMatch(e -> e.startsWith("Reclaimed chips"));
        s = s.withPlacement(placed(d), ((Decision.Placed) d).preempted());

        // the owner is at its quota now: it may not reclaim more, and says so
        Decision.Pending more = pending(engine.place(s, job("own2").queue("owner").priority(0).build()));
        assertThat(reasons(more)).contains(PendingReason.QUOTA_EXCEEDED);
    }

    @Test
    void smallJobsArePackedSoWholeNodesStayFree() {
        ClusterSnapshot s = ClusterSnapshot.builder().pool("a", "a100", 4, 8).build();
        for (int i = 0; i < 4; i++) {
            s = s.withPlacement(placed(engine.place(s, job("small" + i).chips(2, 2).build())));
        }
        Set<String> nodes = new HashSet<>();
        s.placements().forEach(p -> p.shards().forEach(x -> x.nodes().forEach(n -> nodes.add(n.name()))));
        assertThat(nodes).hasSize(1);
        Placement wide = placed(engine.place(s, job("wide").shards(3).chips(8, 8).build()));
        assertThat(wide.shards()).hasSize(3);
    }

    @Test
    void pendingJobsLearnWhenChipsOnOrderLetThemRun() {
        LocalDate due = LocalDate.parse("2027-02-15");
        ClusterSnapshot s = ClusterSnapshot.builder().pool("h", "h800", 1, 8)
                .delivery(new Delivery("h800", 8, LocalDate.parse("2027-01-10"), 8))
                .delivery(new Delivery("h800", 16, due, 8)).build();
        Decision.Pending p = pending(engine.place(s, job("j").shards(4).chips(8, 8).build()));
        assertThat(p.earliestStart()).isEqualTo(due);
        assertThat(reasons(p)).contains(PendingReason.INSUFFICIENT_CAPACITY, PendingReason.WAITING_FOR_DELIVERY);

        Decision.Pending never = pending(engine.place(s, job("k").shards(8).chips(8, 8).build()));
        assertThat(never.earliestStart()).isNull();
    }

    @Test
    void theSameJobAgainGetsTheSamePlacement() {
        ClusterSnapshot s = ClusterSnapshot.builder().pool("a", "a100", 2, 8).build();
        Placement first = placed(engine.place(s, job("j").build()));
        s = s.withPlacement(first);
        assertThat(placed(engine.place(s, job("j").build()))).isSameAs(first);
        assertThat(s.without("j").without("j").placements()).isEmpty();
    }

    @Test
    void aShardMovesToAnotherPoolAndTheBatchIsSplitAgain() {
        ClusterSnapshot s = ClusterSnapshot.builder().pool("a1", "a100", 1, 8).pool("a2", "a100", 1, 8)
                .pool("h", "h100", 1, 8).build();
        Placement p = placed(engine.place(s, job("j").shards(2).allowed("a100").build()));
        s = s.withPlacement(p);
        Shard first = p.shards().get(0);
        ClusterSnapshot freed = s.withPlacement(placed(engine.place(s, job("other").allowed("h100").build())));
        assertThat(engine.replaceShard(freed, "j", first.index(), List.of())).isEmpty();

        ClusterSnapshot roomy = s.withPools(List.of(new Pool("a1", "a100", List.of(new Node("a1-0", 8))),
                new Pool("a2", "a100", List.of(new Node("a2-0", 8))), new Pool("a3", "a100", List.of(new Node("a3-0", 8)))));
        Optional<Placement> moved = engine.replaceShard(roomy, "j", first.index(), List.of());
        assertThat(moved).isPresent();
        Shard now = moved.get().shards().stream().filter(x -> x.index() == first.index()).findFirst().orElseThrow();
        assertThat(now.pool()).isEqualTo("a3");
        assertThat(moved.get().shards().stream().mapToDouble(Shard::batchShare).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(roomy.withPlacement(moved.get()).overbookedNodes()).isEmpty();
    }
}
