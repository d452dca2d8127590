package dev.tessera.scheduler.bench;

import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.catalog.DefaultChips;
import dev.tessera.scheduler.engine.Communication;
import dev.tessera.scheduler.engine.Decision;
import dev.tessera.scheduler.engine.Delivery;
import dev.tessera.scheduler.engine.Mixing;
import dev.tessera.scheduler.engine.Node;
import dev.tessera.scheduler.engine.PlacementEngine;
import dev.tessera.scheduler.engine.PlacementRequest;
import dev.tessera.scheduler.engine.Pool;
import dev.tessera.scheduler.engine.Workload;
import dev.tessera.scheduler.ledger.Ledger;
import dev.tessera.scheduler.perf.PerformanceModel;
import dev.tessera.scheduler.perf.ThroughputTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Latency and throughput of placement through the ledger (engine + booking under the lock), on a
 * fleet of 2,000 nodes / 16,000 chips in 6 chip models. Not a test: it prints figures and asserts
 * nothing about time. Run with
 * {@code ./mvnw -o -pl scheduler-service test -Dtest=PlacementBenchmark -Dtessera.bench=true}.
 */
@EnabledIfSystemProperty(named = "tessera.bench", matches = "true")
class PlacementBenchmark {

    static final String[] CHIPS = {"h100", "h800", "a100", "a800", "ascend-910b", "v100m32"};
    /** Thread CPU time next to wall time: on a shared machine wall-clock tails mostly measure time spent descheduled. */
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);

    public static void main(String[] args) {
        new PlacementBenchmark().run();
    }

    @Test
    void run() {
        PlacementEngine engine = new PlacementEngine(
                new PerformanceModel(new ChipCatalog(DefaultChips.all()), ThroughputTable.empty()), CLOCK);
        List<Pool> fleet = fleet();
        System.out.printf(Locale.ROOT, "fleet: %d pools, %d nodes, %d chips, %d chip models%n", fleet.size(),
                fleet.stream().mapToInt(p -> p.nodes().size()).sum(),
                fleet.stream().flatMap(p -> p.nodes().stream()).mapToInt(Node::chips).sum(), CHIPS.length);
        wideJob(engine, fleet);
        stream(engine, fleet);
    }

    /** 2,000 nodes of 8 chips: 6 chip models, each split into 2 or 3 pools of unequal size. */
    static List<Pool> fleet() {
        int[] nodesPerModel = {300, 400, 400, 300, 400, 200};
        List<Pool> pools = new ArrayList<>();
        for (int c = 0; c < CHIPS.length; c++) {
            int left = nodesPerModel[c];
            int parts = c % 2 == 0 ? 2 : 3;
            for (int part = 0; part < parts; part++) {
                int n = part == parts - 1 ? left : left / (parts - part) + 10;
                left -= n;
                List<Node> nodes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    nodes.add(new Node(CHIPS[c] + "-" + part + "-" + i, 8));
                }
                pools.add(new Pool(CHIPS[c] + "-" + part, CHIPS[c], nodes));
            }
        }
        return pools;
    }

    static void wideJob(PlacementEngine engine, List<Pool> fleet) {
        int runs = 500;
        long[] nanos = new long[runs];
        long[] cpu = new long[runs];
        int shards = 0;
        Ledger ledger = new Ledger(engine);
        ledger.sync(fleet, List.of(), CLOCK.instant());
        for (int i = -500; i < runs; i++) {
            PlacementRequest job = new PlacementRequest("wide-" + i, "llm", 100, 64, 32, 16, 8, List.of(), List.of("h800"),
                    Mixing.ALLOWED, new Workload(null, Communication.HIGH, 70, 250_000));
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Decision d = ledger.place(job, List.of());
            long t = System.nanoTime() - t0;
            long c = THREADS.getCurrentThreadCpuTime() - c0;
            ledger.release(job.jobId());
            if (i >= 0) {
                nanos[i] = t;
                cpu[i] = c;
                shards = ((Decision.Placed) d).placement().shards().size();
            }
        }
        System.out.printf(Locale.ROOT, "64-shard job (16 chips per shard, tensor-parallel 8, 1,024 chips): %d shards placed; "
                + "latency p50 %.3f ms, p99 %.3f ms over %d runs; CPU time p50 %.3f ms, p99 %.3f ms%n", shards, pct(nanos, 50),
                pct(nanos, 99), runs, pct(cpu, 50), pct(cpu, 99));
    }

    /** 10,000 mixed jobs arriving in simulated time; each holds its chips for a while, then is released. */
    static void stream(PlacementEngine engine, List<Pool> fleet) {
        Random rnd = new Random(7);
        Ledger ledger = new Ledger(engine);
        ledger.sync(fleet, List.of(), CLOCK.instant());
        // chips on order, so pending answers also work out an earliest start
        List<Delivery> deliveries = new ArrayList<>();
        for (int k = 0; k < 24; k++) {
            deliveries.add(new Delivery(CHIPS[k % CHIPS.length], 256 * (1 + k % 3), LocalDate.parse("2027-01-01").plusWeeks(k), 8));
        }
        ledger.availability(List.of(), deliveries);
        int jobs = 10_000;
        long[] nanos = new long[jobs];
        long[] cpu = new long[jobs];
        PriorityQueue<double[]> ends = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        int placed = 0;
        int preemptions = 0;
        int withDate = 0;
        List<Long> placedNanos = new ArrayList<>();
        List<Long> pendingNanos = new ArrayList<>();
        List<Long> preemptingNanos = new ArrayList<>();
        double now = 0;
        long wall0 = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            now += rnd.nextExponential() * 2.0;
            while (!ends.isEmpty() && ends.peek()[0] <= now) {
                ledger.release("job-" + (int) ends.poll()[1]);
            }
            PlacementRequest r = randomJob(rnd, i);
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Decision d = ledger.place(r, List.of());
            nanos[i] = System.nanoTime() - t0;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
            (d instanceof Decision.Pending ? pendingNanos
                    : ((Decision.Placed) d).preempted().isEmpty() ? placedNanos : preemptingNanos).add(nanos[i]);
            if (d instanceof Decision.Pending p && p.earliestStart() != null) {
                withDate++;
            }
            if (d instanceof Decision.Placed p) {
                placed++;
                preemptions += p.preempted().size();
                ends.add(new double[] {now + 60 + rnd.nextExponential() * 600, i});
            }
        }
        double seconds = (System.nanoTime() - wall0) / 1e9;
        double cpuSeconds = Arrays.stream(cpu).sum() / 1e9;
        System.out.printf(Locale.ROOT, "stream of %,d mixed jobs: %,d placed, %,d pending, %,d preempted; latency p50 %.3f ms, "
                + "p99 %.3f ms, max %.3f ms; %,.0f placement requests/s wall-clock (incl. releases); CPU time p50 %.3f ms, "
                + "p99 %.3f ms, %,.0f requests per CPU-second%n",
                jobs, placed, jobs - placed, preemptions, pct(nanos, 50), pct(nanos, 99), pct(nanos, 100), jobs / seconds,
                pct(cpu, 50), pct(cpu, 99), jobs / cpuSeconds);
        System.out.printf(Locale.ROOT, "  %,d pending answers carry an earliest start from 24 deliveries on order%n", withDate);
        for (Object[] part : new Object[][] {{"placed on free chips", placedNanos}, {"placed by preempting", preemptingNanos},
                {"pending", pendingNanos}}) {
            @SuppressWarnings("unchecked")
            long[] a = ((List<Long>) part[1]).stream().mapToLong(Long::longValue).toArray();
            if (a.length > 0) {
                System.out.printf(Locale.ROOT, "  %s: %,d requests, p50 %.3f ms, p99 %.3f ms%n", part[0], a.length, pct(a, 50), pct(a, 99));
            }
        }
    }

    static PlacementRequest randomJob(Random rnd, int i) {
        double params = new double[] {1, 7, 13, 34, 70}[rnd.nextInt(5)];
        int cps = new int[] {1, 2, 4, 8, 8, 16, 32}[rnd.nextInt(7)];
        // enough chips per shard to hold the model on the smaller memories (weights, gradients, Adam state)
        while (params * 16 / cps > 28) {
            cps *= 2;
        }
        int tp = Math.min(cps, rnd.nextBoolean() ? 8 : 4);
        int shards = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 32 : 8);
        int min = 1 + rnd.nextInt(shards);
        List<String> allowed = new ArrayList<>();
        if (rnd.nextInt(3) == 0) {
            for (String c : CHIPS) {
                if (rnd.nextBoolean()) {
                    allowed.add(c);
                }
            }
        }
        List<String> preferred = !allowed.isEmpty() && rnd.nextBoolean() ? List.of(allowed.get(0)) : List.of();
        Mixing mixing = rnd.nextInt(3) == 0 ? Mixing.SINGLE_TYPE : Mixing.ALLOWED;
        Communication comm = Communication.values()[rnd.nextInt(3)];
        return new PlacementRequest("job-" + i, "team-" + rnd.nextInt(4), rnd.nextInt(4), shards, min, cps, tp, allowed,
                preferred, mixing, new Workload(null, comm, params, 100_000));
    }

    static double pct(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int idx = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, idx)] / 1e6;
    }
}
