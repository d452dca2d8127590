package dev.tessera.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import static dev.tessera.e2e.LocalSuite.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scenarios, in order, over one start of the whole suite: a mixed-chip job runs on two
 * chip models, printer columns, a refused spec, a job waiting for a delivery, a scheduler killed and
 * restarted without double booking, a deletion that frees chips, token checks, then the faults: inventory
 * down while jobs are placed, PostgreSQL restarted under writes, the operator killed while it creates
 * workers, the scheduler killed while it answers a placement; the API and the services started again
 * together, the new scheduler synced before any job asks; and a {@code down} that leaves no process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalSuiteTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static LocalSuite suite;
    /** In front of the scheduler from the scheduler-killed-mid-request scenario on. */
    private static FaultProxy schedulerProxy;

    @BeforeAll
    static void up() throws Exception {
        suite = new LocalSuite();
        suite.script("down");
        deleteRecursively(suite.home);
        Files.createDirectories(suite.home);
        LocalSuite.Run up = suite.script("up");
        assertThat(up.exit()).as(up.all()).isZero();
        assertThat(up.out()).contains("export KUBECONFIG=" + suite.home.resolve("kubeconfig"));
        assertThat(suite.home.resolve("kubeconfig")).exists();
    }

    @AfterAll
    static void down() throws Exception {
        if (suite == null) {
            return;
        }
        Map<String, Long> pids = new HashMap<>();
        for (String part : List.of("kube", "postgres", "inventory", "scheduler", "operator")) {
            pids.put(part, suite.pidOf(part));
        }
        LocalSuite.Run down = suite.script("down");
        if (schedulerProxy != null) {
            schedulerProxy.close();
        }
        assertThat(down.exit()).as(down.all()).isZero();
        pids.forEach((part, pid) -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as(part + " (pid " + pid + ") still alive after down").isFalse());
        assertThat(suite.home.resolve("postgres/data/postmaster.pid")).as("PostgreSQL still running").doesNotExist();
        LocalSuite.Run status = suite.script("status");
        assertThat(status.out()).doesNotContain("ready").doesNotContain("starting");
    }

    private static JsonNode job(String name) {
        try {
            LocalSuite.Run get = suite.kubectl("get", "tj", name, "-o", "json");
            return get.exit() == 0 ? LocalSuite.JSON.readTree(get.out()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode jobInPhase(String name, String phase) {
        JsonNode job = job(name);
        return job != null && phase.equals(job.path("status").path("phase").asText()) ? job : null;
    }

    private static JsonNode condition(JsonNode job, String type) {
        for (JsonNode c : job.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    private static void apply(String example) throws Exception {
        LocalSuite.Run applied = suite.kubectl("apply", "--validate=false", "-f", suite.example(example).toString());
        assertThat(applied.exit()).as(applied.all()).isZero();
    }

    @Test
    @Order(1)
    void mixedChipJobRunsOnTwoChipModelsWithWorkersOnTheirPools() throws Exception {
        apply("01-mixed-chip-pretraining.yml");
        JsonNode running = await("ernie-pretrain Running", SETTLE, () -> jobInPhase("ernie-pretrain", "Running"));
        Set<String> chips = new HashSet<>();
        running.path("status").path("placement").path("shards").forEach(s -> chips.add(s.path("chip").asText()));
        assertThat(chips).as("chip models of the placement").hasSizeGreaterThanOrEqualTo(2);

        Map<String, String> poolOfNode = new HashMap<>();
        suite.kubectlJson("get", "nodes").path("items").forEach(n -> poolOfNode.put(n.path("metadata").path("name").asText(),
                n.path("metadata").path("labels").path("tessera.dev/pool").asText()));
        JsonNode pods = suite.kubectlJson("get", "pods", "-l", "tessera.dev/job=ernie-pretrain");
        assertThat(pods.path("items")).isNotEmpty();
        Set<String> podChips = new HashSet<>();
        for (JsonNode pod : pods.path("items")) {
            String wanted = pod.path("spec").path("nodeSelector").path("tessera.dev/pool").asText();
            String node = pod.path("spec").path("nodeName").asText();
            assertThat(poolOfNode.get(node)).as(pod.path("metadata").path("name").asText() + " on " + node).isEqualTo(wanted);
            assertThat(pod.path("status").path("phase").asText()).isEqualTo("Running");
            podChips.add(pod.path("metadata").path("labels").path("tessera.dev/chip").asText());
        }
        assertThat(podChips).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(2)
    void kubectlGetShowsThePrinterColumns() throws Exception {
        LocalSuite.Run get = suite.kubectl("get", "tj");
        assertThat(get.exit()).as(get.err()).isZero();
        List<String> lines = get.out().lines().toList();
        assertThat(lines.get(0)).containsSubsequence("NAME", "PHASE", "SHARDS", "CHIPS", "H100-EQ", "AGE");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("ernie-pretrain").contains("Running").contains("h800:"));
    }

    @Test
    @Order(3)
    void theBadExampleIsRefusedByKubectlApply() throws Exception {
        LocalSuite.Run refused = suite.kubectl("apply", "--validate=false", "-f", suite.example("05-spec-error.yml").toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("is invalid").contains("spec.chips.mixing");
        assertThat(suite.kubectl("get", "tj", "broken-spec").err()).contains("NotFound");
    }

    @Test
    @Order(4)
    void theTooLargeJobWaitsForADeliveryWithADate() throws Exception {
        apply("04-waiting-for-delivery.yml");
        JsonNode placed = await("grok-scale waiting for a delivery", SETTLE, () -> {
            JsonNode job = job("grok-scale");
            JsonNode c = job == null ? null : condition(job, "Placed");
            return c != null && "WaitingForDelivery".equals(c.path("reason").asText()) ? c : null;
        });
        assertThat(placed.path("status").asText()).isEqualTo("False");
        assertThat(DATE.matcher(placed.path("message").asText()).find()).as(placed.toString()).isTrue();
        assertThat(job("grok-scale").path("status").path("phase").asText()).isEqualTo("Pending");
    }

    @Test
    @Order(5)
    void aRestartedSchedulerGivesNoChipTwice() throws Exception {
        long pid = suite.pidOf("scheduler");
        ProcessHandle scheduler = ProcessHandle.of(pid).orElseThrow();
        scheduler.destroyForcibly();
        scheduler.onExit().get();
        // placements asked while it is down, and right after it comes back unsynced
        apply("02-single-chip-type.yml");
        apply("03-small-fine-tuning.yml");
        LocalSuite.Run up = suite.script("up");
        assertThat(up.exit()).as(up.all()).isZero();
        assertThat(suite.pidOf("scheduler")).isNotEqualTo(pid);

        await("vit-a800-only Running", SETTLE, () -> jobInPhase("vit-a800-only", "Running"));
        await("chat-finetune Running", SETTLE, () -> jobInPhase("chat-finetune", "Running"));
        assertThat(jobInPhase("ernie-pretrain", "Running")).as("the running job survived the restart").isNotNull();
        await("the scheduler's ledger to match the jobs' statuses", SETTLE, () -> {
            try {
                return ledgerMatchesStatuses() ? Boolean.TRUE : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertNoChipGivenTwice();
    }

    @Test
    @Order(6)
    void deletingAJobRemovesItsWorkersAndFreesItsChips() throws Exception {
        JsonNode job = job("ernie-pretrain");
        String uid = job.path("metadata").path("uid").asText();
        Map<String, Integer> held = new TreeMap<>();
        job.path("status").path("placement").path("shards").forEach(s -> held.merge(s.path("pool").asText(), s.path("chips").asInt(), Integer::sum));
        Map<String, Integer> freeBefore = freeByPool();

        LocalSuite.Run deleted = suite.kubectl("delete", "tj", "ernie-pretrain", "--wait=false");
        assertThat(deleted.exit()).as(deleted.all()).isZero();
        await("ernie-pretrain's workers gone", SETTLE, () -> {
            try {
                return suite.kubectlJson("get", "pods", "-l", "tessera.dev/job=ernie-pretrain").path("items").isEmpty() ? Boolean.TRUE : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await("ernie-pretrain released by the scheduler", SETTLE, () -> {
            try {
                return suite.schedulerGet("/placements/" + uid) == null ? Boolean.TRUE : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, Integer> freeAfter = freeByPool();
        held.forEach((pool, chips) -> assertThat(freeAfter.get(pool))
                .as("free chips of " + pool).isGreaterThanOrEqualTo(freeBefore.get(pool) + chips - waitingJobsTake(pool)));
        assertThat(job("ernie-pretrain")).isNull();
        assertNoChipGivenTwice();
    }

    /** Chips a job that was waiting may have taken in this pool once ernie-pretrain freed it. */
    private static int waitingJobsTake(String pool) {
        JsonNode grok = job("grok-scale");
        int taken = 0;
        if (grok != null) {
            for (JsonNode s : grok.path("status").path("placement").path("shards")) {
                if (pool.equals(s.path("pool").asText())) {
                    taken += s.path("chips").asInt();
                }
            }
        }
        return taken;
    }

    private static Map<String, Integer> freeByPool() throws Exception {
        Map<String, Integer> free = new TreeMap<>();
        suite.schedulerGet("/pools").forEach(p -> free.put(p.path("name").asText(), p.path("free").asInt()));
        return free;
    }

    /** Chips per node that the jobs' statuses say they hold. */
    private static Map<String, Integer> bookedByStatuses() throws Exception {
        Map<String, Integer> booked = new TreeMap<>();
        for (JsonNode job : suite.kubectlJson("get", "tj", "-A").path("items")) {
            for (JsonNode shard : job.path("status").path("placement").path("shards")) {
                JsonNode nodes = shard.path("nodes");
                JsonNode nodeChips = shard.path("nodeChips");
                for (int i = 0; i < nodes.size(); i++) {
                    int chips = nodeChips.size() == nodes.size() ? nodeChips.get(i).asInt() : shard.path("chips").asInt() / nodes.size();
                    booked.merge(nodes.get(i).asText(), chips, Integer::sum);
                }
            }
        }
        return booked;
    }

    private static boolean ledgerMatchesStatuses() throws Exception {
        Map<String, Integer> ledger = new TreeMap<>();
        for (JsonNode pool : suite.schedulerGet("/pools")) {
            for (JsonNode node : pool.path("nodes")) {
                if (node.path("allocated").asInt() > 0) {
                    ledger.put(node.path("name").asText(), node.path("allocated").asInt());
                }
            }
        }
        return ledger.equals(bookedByStatuses());
    }

    @Test
    @Order(7)
    void withoutATokenCallsAreRefusedAndAViewerReadsButCannotReserve() throws Exception {
        String viewer = suite.token("viewer");
        assertThat(viewer.split("\\.")).as(viewer).hasSize(3);
        assumeTrue(LocalSuite.AUTH, "run with -Dtessera.e2e.auth=false: the services check no tokens");

        for (int port : List.of(LocalSuite.INVENTORY_PORT, LocalSuite.SCHEDULER_PORT)) {
            String path = port == LocalSuite.INVENTORY_PORT ? "/api/v1/sites" : "/api/v1/pools";
            assertProblem(suite.call(port, "GET", path, null, null), 401);
            assertProblem(suite.call(port, "GET", path, null, viewer + "x"), 401);
            assertThat(suite.call(port, "GET", path, null, viewer).statusCode()).as(path).isEqualTo(200);
        }
        String reservation = "{\"team\":\"llm-core\",\"chip\":\"h800\",\"quantity\":1,"
                + "\"from\":\"2027-01-01\",\"to\":\"2027-01-31\"}";
        String before = suite.call(LocalSuite.INVENTORY_PORT, "GET", "/api/v1/reservations", null, viewer).body();
        assertProblem(suite.call(LocalSuite.INVENTORY_PORT, "POST", "/api/v1/reservations", reservation, viewer), 403);
        assertThat(suite.call(LocalSuite.INVENTORY_PORT, "GET", "/api/v1/reservations", null, viewer).body())
                .as("a refused reservation writes nothing").isEqualTo(before);
        // only the operator's identity places jobs
        assertProblem(suite.call(LocalSuite.SCHEDULER_PORT, "POST", "/api/v1/placements", "{}", viewer), 403);
        // a planner passes the role check and meets validation instead
        int planner = suite.call(LocalSuite.INVENTORY_PORT, "POST", "/api/v1/reservations", "{}", suite.token("planner")).statusCode();
        assertThat(planner).isEqualTo(400);
    }

    @Test
    @Order(12)
    void theOperatorLoadBenchmarkPlacesEveryJobItAppliesAndReportsItsFigures() throws Exception {
        java.nio.file.Path json = suite.home.resolve("load.json");
        LocalSuite.Run run = suite.script("load", "--jobs", "24", "--threads", "4", "--timeout", "120", "--json", json.toString());
        assertThat(run.exit()).as(run.all()).isZero();
        JsonNode figures = LocalSuite.JSON.readTree(json.toFile());
        assertThat(figures.path("placed").asInt()).isEqualTo(24);
        assertThat(figures.path("allPlacedSeconds").isNumber()).as(figures.toString()).isTrue();
        assertThat(figures.path("placedLatencyP50Millis").asDouble())
                .isPositive().isLessThanOrEqualTo(figures.path("placedLatencyP99Millis").asDouble());
        // each job is seen in a watch before the operator's finalizer, which comes before its placement
        assertThat(figures.path("watchLatencyP50Millis").asDouble())
                .isNotNegative().isLessThanOrEqualTo(figures.path("finalizerLatencyP50Millis").asDouble());
        assertThat(figures.path("finalizerLatencyP50Millis").asDouble())
                .isPositive().isLessThanOrEqualTo(figures.path("placedLatencyP50Millis").asDouble());
        // its own CPU while the jobs were placed, the share of the cores it took from the suite under test
        assertThat(figures.path("clientCpuSeconds").asDouble()).isPositive();
        // it removes what it added
        assertThat(suite.kubeGet("/apis/tessera.dev/v1alpha1/namespaces/tessera-load/trainingjobs").path("items")).isEmpty();
    }

    // ---- faults

    @Test
    @Order(13)
    void writesThatMeetAConcurrentChangeAreRetriedAndNeitherChangeIsLost() throws Exception {
        double before = conflicts();
        String name = "fault-conflicts";
        int shards = 8;
        suite.apply(trainingJob(name, shards, 8, "h800, ascend-910b"));
        String path = "/apis/tessera.dev/v1alpha1/namespaces/default/trainingjobs/" + name;
        // another client relabels the job as fast as it can while the operator places and starts it,
        // so the operator's writes (its finalizer and its status, each guarded by the resourceVersion it read) meet 409s
        int bumps = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int after = -1;
        while (System.nanoTime() < deadline && (after < 0 || bumps < after + 20)) {
            int code = suite.kubeMergePatch(path, "{\"metadata\":{\"labels\":{\"e2e.tessera.dev/bump\":\"" + (bumps + 1) + "\"}}}");
            assertThat(code).as("relabel " + (bumps + 1)).isEqualTo(200);
            bumps++;
            if (after < 0 && bumps % 10 == 0 && conflicts() > before) {
                after = bumps;
            }
        }
        assertThat(conflicts()).as("the operator's writes met a 409").isGreaterThan(before);

        JsonNode running = await(name + " Running after the conflicts", SETTLE, () -> jobInPhase(name, "Running"));
        assertThat(running.path("status").path("shardsRunning").asInt()).isEqualTo(shards);
        assertThat(running.path("metadata").path("labels").path("e2e.tessera.dev/bump").asText())
                .as("the other client's last change survives").isEqualTo(String.valueOf(bumps));
        assertThat(assertExactlyTheWorkersOfItsPlacement(name)).hasSize(shards);
        assertNoChipGivenTwice();
        deleteAndWait(name);
    }

    /** The operator's writes that met a 409: its status writes and its finalizer's. */
    private double conflicts() throws Exception {
        return suite.operatorCounter("tessera_status_conflicts_total") + suite.operatorCounter("tessera_finalizer_conflicts_total");
    }

    @Test
    @Order(8)
    void withInventoryDownJobsArePlacedFromTheLastKnownQuotasAndTheSchedulerSaysDegraded() throws Exception {
        long inventory = suite.pidOf("inventory");
        LocalSuite.Run stop = suite.script("stop", "inventory");
        assertThat(stop.exit()).as(stop.all()).isZero();
        assertThat(alive(inventory)).as("inventory after stop").isFalse();
        // the scheduler notices at its next poll (every 5 s in the suite) and keeps serving
        await("the scheduler to report inventory degraded", SETTLE, () -> inventoryHealth("degraded", false));

        suite.apply(trainingJob("fault-no-inventory", 2, 8, "h800"));
        JsonNode running = await("fault-no-inventory Running", SETTLE, () -> jobInPhase("fault-no-inventory", "Running"));
        JsonNode placement = suite.schedulerGet("/placements/" + running.path("metadata").path("uid").asText());
        assertThat(placement).as("the scheduler's placement").isNotNull();
        assertThat(placement.path("explanation").toString()).contains("Inventory is unreachable");
        assertThat(inventoryHealth("degraded", false)).as("still degraded, still ready").isTrue();
        assertExactlyTheWorkersOfItsPlacement("fault-no-inventory");

        LocalSuite.Run start = suite.script("start", "inventory");
        assertThat(start.exit()).as(start.all()).isZero();
        await("the scheduler to report inventory ok again", SETTLE, () -> inventoryHealth("ok", true));
        deleteAndWait("fault-no-inventory");
    }

    @Test
    @Order(9)
    void postgresStoppedAndStartedUnderWritesLosesAndDoublesNothing() throws Exception {
        String planner = suite.token("planner");
        long inventory = suite.pidOf("inventory");
        String order = "{\"supplier\":\"Inspur\",\"reference\":\"e2e-fault-po\",\"lines\":[{\"chip\":\"h800\",\"quantity\":1000,"
                + "\"unitPrice\":1,\"currency\":\"USD\"}],\"deliveries\":[{\"chip\":\"h800\",\"quantity\":1000,"
                + "\"scheduledDate\":\"2027-03-01\",\"site\":\"bj-dc1\"}]}";
        HttpResponse<String> created = suite.call(LocalSuite.INVENTORY_PORT, "POST", "/api/v1/purchase-orders", order, planner);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long delivery = LocalSuite.JSON.readTree(created.body()).path("deliveries").path(0).path("id").asLong();

        PlanningWriter writer = new PlanningWriter(planner, delivery);
        Thread thread = new Thread(writer, "planning-writer");
        thread.start();
        try {
            await("writes before the outage", SETTLE, () -> writer.done.get() >= 3 ? Boolean.TRUE : null);
            LocalSuite.Run stop = suite.script("stop", "postgres");
            assertThat(stop.exit()).as(stop.all()).isZero();
            await("writes refused while PostgreSQL is down", SETTLE, () -> writer.unavailable.get() >= 3 ? Boolean.TRUE : null);
            LocalSuite.Run start = suite.script("start", "postgres");
            assertThat(start.exit()).as(start.all()).isZero();
            int atRestart = writer.done.get();
            await("writes after the restart", SETTLE, () -> writer.done.get() >= atRestart + 5 ? Boolean.TRUE : null);
        } finally {
            writer.stop.set(true);
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }
        System.out.printf("PostgreSQL restart under writes: %d receipts and %d reservations written, %d answers 503 on the way%n",
                writer.done.get(), writer.done.get(), writer.unavailable.get());
        assertThat(writer.errors).as("answers other than success or 503").isEmpty();
        assertThat(alive(inventory)).as("the inventory service was not restarted").isTrue();
        assertThat(suite.pidOf("inventory")).isEqualTo(inventory);

        int receipts = writer.done.get();
        // a receipt retried with its key once more: answered from the first, counted once
        HttpResponse<String> replay = writer.receipt(0);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        JsonNode after = LocalSuite.JSON.readTree(suite.call(LocalSuite.INVENTORY_PORT, "GET", "/api/v1/deliveries/" + delivery,
                null, planner).body());
        assertThat(after.path("received").asInt()).as("units received, one per receipt key").isEqualTo(receipts);
        assertThat(after.path("remaining").asInt()).isEqualTo(1000 - receipts);

        List<String> reserved = writer.reservedJobs();
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < receipts; i++) {
            wanted.add(PlanningWriter.JOB + i);
        }
        assertThat(reserved).as("reservations after the restart: each one exactly once").containsExactlyInAnyOrderElementsOf(wanted);
    }

    @Test
    @Order(10)
    void anOperatorKilledWhileCreatingWorkersLeavesNoDuplicatePods() throws Exception {
        int wanted = 12;
        long operator = suite.pidOf("operator");
        String name = null;
        Map<String, String> createdBeforeKill = new TreeMap<>();
        for (int attempt = 1; attempt <= 3 && name == null; attempt++) {
            String candidate = "fault-operator-kill-" + attempt;
            suite.apply(trainingJob(candidate, wanted, 8, "h800, ascend-910b"));
            // freeze the operator the moment its first worker appears, then see how far it got
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (workersViaApi(candidate).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            signal("STOP", operator);
            Thread.sleep(500);
            Map<String, String> created = workersViaApi(candidate);
            System.out.printf("operator frozen with %d of %d workers of %s created%n", created.size(), wanted, candidate);
            if (!created.isEmpty() && created.size() < wanted) {
                name = candidate;
                createdBeforeKill.putAll(created);
            } else {
                // too late (or never): let it finish and try again
                signal("CONT", operator);
                deleteAndWait(candidate);
            }
        }
        assertThat(name).as("the operator frozen with some but not all of the workers created").isNotNull();
        LocalSuite.Run kill = suite.script("kill", "operator");
        assertThat(kill.exit()).as(kill.all()).isZero();
        assertThat(alive(operator)).isFalse();
        LocalSuite.Run start = suite.script("start", "operator");
        assertThat(start.exit()).as(start.all()).isZero();
        assertThat(suite.pidOf("operator")).isNotEqualTo(operator);

        String job = name;
        JsonNode running = await(job + " Running after the operator restart", SETTLE, () -> jobInPhase(job, "Running"));
        assertThat(running.path("status").path("shardsRunning").asInt()).isEqualTo(wanted);
        Map<String, String> workers = assertExactlyTheWorkersOfItsPlacement(job);
        assertThat(workers).hasSize(wanted);
        createdBeforeKill.forEach((pod, uid) -> assertThat(workers.get(pod)).as(pod + " created before the kill, kept, not replaced")
                .isEqualTo(uid));
        assertThat(ledgerEntries(suite.schedulerGet("/ledger"), running.path("metadata").path("uid").asText())).isEqualTo(1);
        await("the scheduler's ledger to match the jobs' statuses", SETTLE, LocalSuiteTest::ledgerMatches);
        assertNoChipGivenTwice();
        deleteAndWait(job);
    }

    @Test
    @Order(11)
    void aSchedulerKilledWhileAnsweringAPlacementPlacesTheJobOnceAfterARetry() throws Exception {
        int backendPort = LocalSuite.SCHEDULER_PORT + 10;
        Map<String, String> behindProxy = Map.of("TESSERA_LOCAL_SCHEDULER_PORT", String.valueOf(backendPort));
        // the scheduler moves to another port; a proxy on its own port passes the operator's calls through
        LocalSuite.Run stop = suite.script("stop", "scheduler");
        assertThat(stop.exit()).as(stop.all()).isZero();
        schedulerProxy = new FaultProxy(LocalSuite.SCHEDULER_PORT, backendPort);
        LocalSuite.Run moved = suite.script(behindProxy, "start", "scheduler");
        assertThat(moved.exit()).as(moved.all()).isZero();

        String name = "fault-mid-request";
        String viewer = suite.viewerToken();
        AtomicReference<JsonNode> ledgerAtKill = new AtomicReference<>();
        AtomicReference<Long> killed = new AtomicReference<>();
        // when the scheduler has booked the job and its 201 is on the way, read its ledger, SIGKILL it and drop the answer
        CompletableFuture<String> fired = schedulerProxy.arm("POST /api/v1/placements ", "\"name\":\"" + name + "\"",
                "HTTP/1.1 201", () -> {
                    try {
                        ledgerAtKill.set(LocalSuite.JSON.readTree(
                                suite.call(backendPort, "GET", "/api/v1/ledger", null, viewer).body()));
                        long pid = suite.pidOf("scheduler");
                        ProcessHandle scheduler = ProcessHandle.of(pid).orElseThrow();
                        scheduler.destroyForcibly();
                        scheduler.onExit().get(30, TimeUnit.SECONDS);
                        killed.set(pid);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        suite.apply(trainingJob(name, 4, 8, "h800"));
        String answer = fired.get(SETTLE.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer).startsWith("HTTP/1.1 201");
        assertThat(alive(killed.get())).as("the scheduler after the kill").isFalse();
        String uid = job(name).path("metadata").path("uid").asText();
        assertThat(ledgerEntries(ledgerAtKill.get(), uid)).as("the job booked when the answer was lost").isEqualTo(1);
        assertThat(job(name).path("status").path("placement").isObject()).as("the operator never heard the answer").isFalse();

        LocalSuite.Run restarted = suite.script(behindProxy, "start", "scheduler");
        assertThat(restarted.exit()).as(restarted.all()).isZero();
        JsonNode running = await(name + " Running after the retry", SETTLE, () -> jobInPhase(name, "Running"));
        assertThat(running.path("status").path("placement").path("shards")).hasSize(4);
        assertExactlyTheWorkersOfItsPlacement(name);
        assertThat(ledgerEntries(suite.schedulerGet("/ledger"), uid)).as("the job in the new scheduler's ledger").isEqualTo(1);
        await("the scheduler's ledger to match the jobs' statuses", SETTLE, LocalSuiteTest::ledgerMatches);
        assertNoChipGivenTwice();
    }

    @Test
    @Order(14)
    void theApiAndTheServicesStartedTogetherComeUpInOrderAndTheSchedulerIsSyncedBeforeAnyJobAsks() throws Exception {
        // last: the embedded API keeps nothing, so the cluster starts empty again with its sample fleet
        int backendPort = LocalSuite.SCHEDULER_PORT + 10;
        Map<String, String> behindProxy = Map.of("TESSERA_LOCAL_SCHEDULER_PORT", String.valueOf(backendPort));
        long scheduler = suite.pidOf("scheduler");
        LocalSuite.Run stop = suite.script(behindProxy, "stop", "operator", "scheduler", "kube");
        assertThat(stop.exit()).as(stop.all()).isZero();
        assertThat(alive(scheduler)).isFalse();
        // the API first, whatever the order asked: the services read its kubeconfig when they start
        LocalSuite.Run start = suite.script(behindProxy, "start", "kube", "scheduler", "operator");
        assertThat(start.exit()).as(start.all()).isZero();
        assertThat(start.out()).contains("kube ready", "scheduler ready", "operator ready");
        assertThat(suite.pidOf("scheduler")).isNotEqualTo(scheduler);
        assertThat(suite.kubectl("get", "tj", "-A", "-o", "name").out()).as("no job in the new cluster").isBlank();
        // no job asks for chips, and yet the scheduler that started before the operator is told the ledger
        String viewer = suite.viewerToken();
        JsonNode ledger = await("the new scheduler synced by the operator's start", SETTLE, () -> {
            try {
                JsonNode l = LocalSuite.JSON.readTree(suite.call(backendPort, "GET", "/api/v1/ledger", null, viewer).body());
                return "Synced".equals(l.path("state").asText()) ? l : null;
            } catch (Exception e) {
                return null;
            }
        });
        assertThat(ledger.path("placements").asInt()).isZero();
        assertThat(ledger.path("pools").asInt()).as("the sample fleet's pools").isPositive();
    }

    private static String trainingJob(String name, int shards, int chipsPerShard, String allowed) {
        return """
                apiVersion: tessera.dev/v1alpha1
                kind: TrainingJob
                metadata: {name: %s}
                spec:
                  queue: llm-core
                  shards: %d
                  chipsPerShard: %d
                  chips: {allowed: [%s]}
                  workload: {communication: Low, parametersBillions: 1, totalSteps: 100000000}
                  template:
                    spec:
                      containers: [{name: trainer, image: registry.example/fault:1.0, command: [python, train.py]}]
                """.formatted(name, shards, chipsPerShard, allowed);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal + " " + pid).isZero();
    }

    /** The job's worker Pods (name to uid), straight from the API. */
    private static Map<String, String> workersViaApi(String job) {
        try {
            JsonNode pods = suite.kubeGet("/api/v1/namespaces/default/pods?labelSelector="
                    + URLEncoder.encode("tessera.dev/job=" + job, StandardCharsets.UTF_8));
            Map<String, String> out = new TreeMap<>();
            pods.path("items").forEach(p -> out.put(p.path("metadata").path("name").asText(), p.path("metadata").path("uid").asText()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The job's Pods are exactly one per node of each shard of its placement, named after shard and worker,
     * on the planned node, Running, owned by this job; the scheduler holds the same placement. Returns name to uid.
     */
    private static Map<String, String> assertExactlyTheWorkersOfItsPlacement(String name) throws Exception {
        JsonNode job = job(name);
        String uid = job.path("metadata").path("uid").asText();
        Map<String, String> plannedNode = new TreeMap<>();
        Map<Integer, String> shardPools = new TreeMap<>();
        for (JsonNode shard : job.path("status").path("placement").path("shards")) {
            shardPools.put(shard.path("index").asInt(), shard.path("pool").asText() + " " + shard.path("nodes"));
            for (int w = 0; w < shard.path("nodes").size(); w++) {
                plannedNode.put(name + "-s" + shard.path("index").asInt() + "-w" + w, shard.path("nodes").get(w).asText());
            }
        }
        assertThat(plannedNode).as("workers of the placement").isNotEmpty();
        JsonNode pods = await("the workers of " + name + " Running", SETTLE, () -> {
            try {
                JsonNode list = suite.kubectlJson("get", "pods", "-l", "tessera.dev/job=" + name);
                for (JsonNode p : list.path("items")) {
                    if (!"Running".equals(p.path("status").path("phase").asText())) {
                        return null;
                    }
                }
                return list.path("items").size() == plannedNode.size() ? list : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, String> uids = new TreeMap<>();
        List<String> names = new ArrayList<>();
        for (JsonNode pod : pods.path("items")) {
            String podName = pod.path("metadata").path("name").asText();
            names.add(podName);
            uids.put(podName, pod.path("metadata").path("uid").asText());
            assertThat(pod.path("metadata").path("labels").path("tessera.dev/job-uid").asText()).as(podName).isEqualTo(uid);
            assertThat(pod.path("spec").path("nodeName").asText()).as(podName + "'s node").isEqualTo(plannedNode.get(podName));
        }
        assertThat(names).as("worker Pods of " + name).containsExactlyInAnyOrderElementsOf(plannedNode.keySet());
        JsonNode held = suite.schedulerGet("/placements/" + uid);
        assertThat(held).as("the scheduler's placement of " + name).isNotNull();
        Map<Integer, String> heldPools = new TreeMap<>();
        for (JsonNode shard : held.path("shards")) {
            List<String> nodes = new ArrayList<>();
            shard.path("nodes").forEach(n -> nodes.add(n.path("name").asText()));
            heldPools.put(shard.path("index").asInt(), shard.path("pool").asText() + " " + LocalSuite.JSON.valueToTree(nodes));
        }
        assertThat(heldPools).as("the scheduler holds what the status says").isEqualTo(shardPools);
        return uids;
    }

    private static int ledgerEntries(JsonNode ledger, String jobId) {
        int n = 0;
        for (JsonNode entry : ledger.path("entries")) {
            if (jobId.equals(entry.path("jobId").asText())) {
                n++;
            }
        }
        return n;
    }

    private static Boolean ledgerMatches() {
        try {
            return ledgerMatchesStatuses() ? Boolean.TRUE : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteAndWait(String name) throws Exception {
        LocalSuite.Run deleted = suite.kubectl("delete", "tj", name, "--wait=false");
        assertThat(deleted.exit()).as(deleted.all()).isZero();
        await(name + " and its workers gone", SETTLE, () -> job(name) == null && workersViaApi(name).isEmpty() ? Boolean.TRUE : null);
    }

    /** True when the scheduler's readiness is UP saying {@code inventory: state} and its inventory check is UP (or DOWN). */
    private static Boolean inventoryHealth(String state, boolean up) {
        try {
            HttpResponse<String> ready = suite.call(LocalSuite.SCHEDULER_PORT, "GET", "/q/health/ready", null, null);
            HttpResponse<String> well = suite.call(LocalSuite.SCHEDULER_PORT, "GET", "/q/health/well", null, null);
            JsonNode readiness = LocalSuite.JSON.readTree(ready.body());
            JsonNode wellness = LocalSuite.JSON.readTree(well.body());
            boolean serving = ready.statusCode() == 200 && "UP".equals(readiness.path("status").asText())
                    && state.equals(check(readiness, "scheduler").path("data").path("inventory").asText());
            boolean dependency = well.statusCode() == (up ? 200 : 503)
                    && (up ? "UP" : "DOWN").equals(check(wellness, "inventory").path("status").asText());
            return serving && dependency ? Boolean.TRUE : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        return LocalSuite.JSON.createObjectNode();
    }

    /**
     * A planner's client writing receipts (each with its own Idempotency-Key, one unit) and reservations (one
     * per receipt) one after the other, as a careful client would: a receipt that fails is sent again with the
     * same key; a reservation that fails is looked up before it is sent again, since it carries no key.
     */
    private static final class PlanningWriter implements Runnable {
        static final String JOB = "e2e-fault-reservation-";
        final String token;
        final long delivery;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        final List<String> errors = new CopyOnWriteArrayList<>();

        PlanningWriter(String token, long delivery) {
            this.token = token;
            this.delivery = delivery;
        }

        @Override
        public void run() {
            for (int i = 0; !stop.get(); i++) {
                try {
                    while (!succeeded(receipt(i))) {
                        Thread.sleep(250);
                    }
                    boolean reserved = succeeded(reserve(i));
                    while (!reserved) {
                        Thread.sleep(250);
                        List<String> jobs = reservedJobsOrNull();
                        reserved = jobs != null && (jobs.contains(JOB + i) || succeeded(reserve(i)));
                    }
                    done.incrementAndGet();
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    errors.add(i + ": " + e);
                    return;
                }
            }
        }

        HttpResponse<String> receipt(int i) throws IOException, InterruptedException {
            return send("POST", "/api/v1/deliveries/" + delivery + "/receipts", "{\"quantity\":1}", "e2e-fault-receipt-" + i);
        }

        private HttpResponse<String> reserve(int i) throws IOException, InterruptedException {
            return send("POST", "/api/v1/reservations", "{\"team\":\"research\",\"chip\":\"h800\",\"quantity\":1,"
                    + "\"from\":\"2027-09-01\",\"to\":\"2027-09-08\",\"jobId\":\"" + JOB + i + "\"}", null);
        }

        private HttpResponse<String> send(String method, String path, String body, String key) throws IOException, InterruptedException {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + LocalSuite.INVENTORY_PORT + path))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** 2xx: done; 503: the outage, try again; anything else is recorded as an error and counts as done. */
        private boolean succeeded(HttpResponse<String> r) {
            if (r.statusCode() / 100 == 2) {
                return true;
            }
            if (r.statusCode() == 503) {
                unavailable.incrementAndGet();
                return false;
            }
            errors.add(r.request().method() + " " + r.uri().getPath() + " -> " + r.statusCode() + " " + r.body());
            return true;
        }

        private List<String> reservedJobsOrNull() throws IOException, InterruptedException {
            HttpResponse<String> r = send("GET", "/api/v1/reservations?team=research&chip=h800", null, null);
            if (r.statusCode() != 200) {
                if (r.statusCode() == 503) {
                    unavailable.incrementAndGet();
                }
                return null;
            }
            List<String> jobs = new ArrayList<>();
            LocalSuite.JSON.readTree(r.body()).forEach(v -> {
                if (v.path("jobId").asText().startsWith(JOB)) {
                    jobs.add(v.path("jobId").asText());
                }
            });
            return jobs;
        }

        List<String> reservedJobs() throws IOException, InterruptedException {
            List<String> jobs = reservedJobsOrNull();
            assertThat(jobs).as("reservations readable").isNotNull();
            return jobs;
        }
    }

    private static final java.net.http.HttpClient CLIENT = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3)).build();

    private static void assertProblem(java.net.http.HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    private static void assertNoChipGivenTwice() throws Exception {
        Map<String, Integer> allocatable = new HashMap<>();
        for (JsonNode node : suite.kubectlJson("get", "nodes").path("items")) {
            JsonNode a = node.path("status").path("allocatable");
            int chips = a.path("nvidia.com/gpu").asInt(0) + a.path("huawei.com/Ascend910").asInt(0);
            allocatable.put(node.path("metadata").path("name").asText(), chips);
        }
        bookedByStatuses().forEach((node, chips) ->
                assertThat(chips).as("chips booked on " + node + " by all jobs").isLessThanOrEqualTo(allocatable.get(node)));
        for (JsonNode pool : suite.schedulerGet("/pools")) {
            assertThat(pool.path("allocated").asInt()).as("scheduler's allocation in " + pool.path("name").asText())
                    .isLessThanOrEqualTo(pool.path("capacity").asInt());
        }
        Map<String, Integer> inUse = new HashMap<>();
        for (JsonNode pod : suite.kubectlJson("get", "pods", "-A").path("items")) {
            String phase = pod.path("status").path("phase").asText();
            String node = pod.path("spec").path("nodeName").asText("");
            if (node.isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
                continue;
            }
            JsonNode limits = pod.path("spec").path("containers").path(0).path("resources").path("limits");
            int chips = limits.path("nvidia.com/gpu").asInt(0) + limits.path("huawei.com/Ascend910").asInt(0);
            inUse.merge(node, chips, Integer::sum);
        }
        inUse.forEach((node, chips) -> assertThat(chips).as("chips of running workers on " + node)
                .isLessThanOrEqualTo(allocatable.get(node)));
    }

    private static void deleteRecursively(java.nio.file.Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
