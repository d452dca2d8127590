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
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static dev.tessera.e2e.LocalSuite.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scenarios, in order, over one start of the whole suite: a mixed-chip job runs on two
 * chip models, printer columns, a refused spec, a job waiting for a delivery, a scheduler killed and
 * restarted without double booking, a deletion that frees chips, and a {@code down} that leaves no
 * process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalSuiteTest {

    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static LocalSuite suite;

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
