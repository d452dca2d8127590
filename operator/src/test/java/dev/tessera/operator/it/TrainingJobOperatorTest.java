package dev.tessera.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.operator.api.Conditions;
import dev.tessera.operator.api.Phase;
import dev.tessera.operator.api.TrainingJob;
import dev.tessera.operator.api.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The operator against fabric8's mock API server (CRUD mode) and a fake scheduler: every numbered
 * behaviour of the reconcile loop, observed through the API as a user would.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(FakeSchedulerResource.class)
class TrainingJobOperatorTest {
    static final String NS = "llm";

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    dev.tessera.operator.reconcile.LedgerSync ledgerSync;

    @KubernetesTestServer
    KubernetesServer apiServer;

    FakeScheduler scheduler() {
        return FakeSchedulerResource.scheduler;
    }

    @BeforeAll
    static void noop() {
    }

    @BeforeEach
    void fleet() {
        if (client.namespaces().withName(NS).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        }
        for (int i = 0; i < 6; i++) {
            node("h800-" + i, Map.of("tessera.dev/pool", "h800-a", "tessera.dev/chip", "h800"), "nvidia.com/gpu");
            node("asc-" + i, Map.of("tessera.dev/pool", "ascend-a", "tessera.dev/chip", "ascend-910b"), "huawei.com/Ascend910");
        }
        node("a800-0", Map.of("nvidia.com/gpu.product", "NVIDIA-A800-SXM4-80GB"), "nvidia.com/gpu");
        eventually("pools reach the scheduler", () -> scheduler().pools.size() == 3);
        scheduler().pendingReason = null;
        scheduler().earliestStart = null;
        scheduler().unsynced = false;
        scheduler().placements.clear();
    }

    void node(String name, Map<String, String> labels, String resource) {
        if (client.nodes().withName(name).get() != null) {
            return;
        }
        Node n = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().addToAllocatable(resource, new Quantity("8"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
        client.nodes().resource(n).create();
    }

    static TrainingJob job(String name, int shards, int chipsPerShard, List<String> allowed) {
        TrainingJob tj = new TrainingJob();
        tj.getMetadata().setName(name);
        tj.getMetadata().setNamespace(NS);
        TrainingJobSpec spec = new TrainingJobSpec();
        spec.setQueue("llm-core");
        spec.setShards(shards);
        spec.setChipsPerShard(chipsPerShard);
        spec.getChips().setAllowed(allowed);
        spec.getWorkload().setTotalSteps(1000L);
        spec.setTemplate(new PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("trainer")
                .withImage("registry.example/llm:1.0").endContainer().endSpec().build());
        tj.setSpec(spec);
        return tj;
    }

    TrainingJob create(TrainingJob tj) {
        return client.resource(tj).create();
    }

    TrainingJob get(String name) {
        return client.resources(TrainingJob.class).inNamespace(NS).withName(name).get();
    }

    /**
     * Changes a job's spec as a user would: an edit guarded by the resourceVersion read, tried again when
     * the operator's status write came in between (409).
     */
    void editSpec(String name, java.util.function.Consumer<TrainingJobSpec> change) {
        for (int attempt = 1;; attempt++) {
            try {
                client.resources(TrainingJob.class).inNamespace(NS).withName(name).edit(t -> {
                    change.accept(t.getSpec());
                    return t;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    List<Pod> workers(String name) {
        return client.pods().inNamespace(NS).withLabel("tessera.dev/job", name).list().getItems();
    }

    Condition condition(String name, String type) {
        TrainingJob tj = get(name);
        if (tj == null || tj.getStatus() == null) {
            return null;
        }
        return Conditions.find(tj.getStatus().getConditions(), type).orElse(null);
    }

    boolean conditionIs(String name, String type, String status, String reason) {
        Condition c = condition(name, type);
        return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason());
    }

    /** Plays the kubelet: every worker of the job that has not finished moves to the given phase. */
    void setPhase(String name, String phase) {
        for (Pod p : workers(name)) {
            setPhase(p, phase);
        }
    }

    void setPhase(Pod p, String phase) {
        // The mock API server announces status changes made through the main resource, not through /status.
        client.pods().inNamespace(NS).withName(p.getMetadata().getName()).edit(pod -> {
            pod.setStatus(new PodStatusBuilder().withPhase(phase).withMessage(phase.equals("Failed") ? "chip fault" : null).build());
            return pod;
        });
    }

    static void eventually(String what, Supplier<Boolean> check) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(check.get())) {
                    return;
                }
            } catch (RuntimeException e) {
                // not there yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting until " + what);
    }

    @Test
    void invalidSpecIsReportedWithAWarningAndNotRetried() {
        create(job("bad-chip", 1, 8, List.of("x999")));
        eventually("InvalidSpec", () -> conditionIs("bad-chip", Conditions.PLACED, "False", "InvalidSpec"));
        assertThat(condition("bad-chip", Conditions.PLACED).getMessage()).contains("unknown chip model 'x999'");
        // events are sent in the background
        eventually("an InvalidSpec warning event", () -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "Warning".equals(e.getType()) && "InvalidSpec".equals(e.getReason())
                        && "bad-chip".equals(e.getInvolvedObject().getName())));
        String uid = get("bad-chip").getMetadata().getUid();
        assertThat(scheduler().placements).doesNotContainKey(uid);
        assertThat(workers("bad-chip")).isEmpty();
        assertThat(get("bad-chip").getStatus().getObservedGeneration()).isEqualTo(get("bad-chip").getMetadata().getGeneration());
        // released once all the same: a booking whose status write was lost would be held in the scheduler otherwise
        assertThat(scheduler().deleted).contains(uid);
    }

    /**
     * A job carrying fields this operator does not know (written for a newer CRD, or kept by an API server that does
     * not prune) is reconciled on what it knows, and the watch goes on: jobs created after it are placed too.
     */
    @Test
    @SuppressWarnings("unchecked")
    void fieldsTheOperatorDoesNotKnowAreIgnoredAndTheWatchGoesOn() {
        var newer = client.getKubernetesSerialization().convertValue(job("from-a-newer-crd", 1, 8, List.of("h800")),
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
        ((Map<String, Object>) ((Map<String, Object>) newer.getAdditionalProperties().get("spec")).get("chips"))
                .put("favourite", "a100");
        ((Map<String, Object>) newer.getAdditionalProperties().get("spec")).put("checkpointing", Map.of("every", "1h"));
        client.genericKubernetesResources(TrainingJob.GROUP + "/" + TrainingJob.VERSION, "TrainingJob").inNamespace(NS)
                .resource(newer).create();
        eventually("Placed", () -> conditionIs("from-a-newer-crd", Conditions.PLACED, "True", "Placed"));
        create(job("after-the-newer-one", 1, 8, List.of("h800")));
        eventually("the next job Placed", () -> conditionIs("after-the-newer-one", Conditions.PLACED, "True", "Placed"));
    }

    @Test
    void aNameThatMakesNoValidServiceOrHostNameIsAnInvalidSpecBeforeAnyChipIsBooked() {
        create(job("llama-3.1-70b", 1, 8, List.of("h800")));
        eventually("InvalidSpec", () -> conditionIs("llama-3.1-70b", Conditions.PLACED, "False", "InvalidSpec"));
        assertThat(condition("llama-3.1-70b", Conditions.PLACED).getMessage()).contains("metadata.name 'llama-3.1-70b'")
                .contains("no dots");
        assertThat(scheduler().placements).doesNotContainKey(get("llama-3.1-70b").getMetadata().getUid());
        assertThat(workers("llama-3.1-70b")).isEmpty();
    }

    @Test
    void aJobSuspendedFromTheStartReleasesWhateverTheSchedulerMayHoldForIt() {
        TrainingJob paused = job("paused-from-start", 1, 8, List.of("h800"));
        paused.getSpec().setSuspend(true);
        create(paused);
        eventually("Suspended", () -> get("paused-from-start").getStatus() != null
                && get("paused-from-start").getStatus().getPhase() == Phase.Suspended);
        assertThat(scheduler().deleted).contains(get("paused-from-start").getMetadata().getUid());
    }

    @Test
    void pendingJobWaitsForDeliveryThenIsPlacedAndGetsWorkers() {
        scheduler().pendingReason = "WaitingForDelivery";
        scheduler().earliestStart = "2027-03-01";
        create(job("pretrain", 2, 16, List.of("h800")));
        eventually("Pending with the delivery date", () -> conditionIs("pretrain", Conditions.PLACED, "False", "WaitingForDelivery"));
        assertThat(condition("pretrain", Conditions.PLACED).getMessage()).isEqualTo("not enough chips now. Earliest start 2027-03-01.");
        assertThat(get("pretrain").getStatus().getPhase()).isEqualTo(Phase.Pending);
        assertThat(workers("pretrain")).isEmpty();

        scheduler().pendingReason = null;
        eventually("Placed", () -> conditionIs("pretrain", Conditions.PLACED, "True", "Placed"));
        eventually("4 workers", () -> workers("pretrain").size() == 4);
        Pod w = client.pods().inNamespace(NS).withName("pretrain-s1-w1").get();
        assertThat(w).isNotNull();
        assertThat(w.getSpec().getNodeSelector()).containsEntry("tessera.dev/pool", "h800-a");
        assertThat(w.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(get("pretrain").getMetadata().getUid()));
        assertThat(w.getSpec().getContainers().get(0).getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("8"));
        assertThat(w.getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName)
                .contains("TESSERA_JOB", "TESSERA_SHARD", "TESSERA_SHARDS", "TESSERA_CHIP", "TESSERA_BATCH_SHARE",
                        "MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "RANK");
        assertThat(env(w, "RANK")).isEqualTo("3");
        assertThat(env(w, "WORLD_SIZE")).isEqualTo("4");
        assertThat(env(w, "MASTER_ADDR")).isEqualTo("pretrain-s0-w0.pretrain.llm.svc");
        assertThat(client.services().inNamespace(NS).withName("pretrain").get().getSpec().getClusterIP()).isEqualTo("None");

        setPhase("pretrain", "Running");
        eventually("Running", () -> get("pretrain").getStatus().getPhase() == Phase.Running);
        TrainingJob tj = get("pretrain");
        assertThat(tj.getStatus().getShardsSummary()).isEqualTo("2/2");
        assertThat(tj.getStatus().getSummary().getChips()).isEqualTo("h800:32");
        assertThat(tj.getStatus().getPlacement().getEstimate().getCompletionTime()).isNotNull();
        assertThat(tj.getStatus().getStartTime()).isNotNull();

        setPhase("pretrain", "Succeeded");
        eventually("Succeeded", () -> get("pretrain").getStatus().getPhase() == Phase.Succeeded);
        assertThat(conditionIs("pretrain", Conditions.COMPLETE, "True", "AllWorkersSucceeded")).isTrue();
        // no chips held any more; where it ran stays on record
        assertThat(conditionIs("pretrain", Conditions.PLACED, "False", "Finished")).isTrue();
        assertThat(condition("pretrain", Conditions.PLACED).getMessage()).startsWith("chips released: the job finished on ");
        assertThat(get("pretrain").getStatus().getPlacement().getShards()).isNotEmpty();
        assertThat(scheduler().deleted).contains(tj.getMetadata().getUid());
    }

    @Test
    void schedulerDownMeansSchedulerUnavailableAndNoWorkersUntilItReturns() throws Exception {
        scheduler().stop();
        try {
            create(job("while-down", 1, 8, List.of("h800")));
            eventually("SchedulerUnavailable", () -> conditionIs("while-down", Conditions.PLACED, "False", "SchedulerUnavailable"));
            assertThat(workers("while-down")).isEmpty();
        } finally {
            scheduler().start();
        }
        eventually("placed after the scheduler returns", () -> workers("while-down").size() == 1);
        eventually("Placed", () -> conditionIs("while-down", Conditions.PLACED, "True", "Placed"));
    }

    @Test
    void aSuspendWhileTheSchedulerIsDownWaitsForItAndTheStatusStaysTrue() throws Exception {
        create(job("suspend-while-down", 1, 8, List.of("h800")));
        eventually("worker", () -> workers("suspend-while-down").size() == 1);
        String uid = get("suspend-while-down").getMetadata().getUid();
        scheduler().stop();
        try {
            editSpec("suspend-while-down", spec -> spec.setSuspend(true));
            // the release cannot be sent: the worker keeps its chips and runs on, as the status says
            Thread.sleep(3000);
            assertThat(workers("suspend-while-down")).hasSize(1);
            assertThat(get("suspend-while-down").getStatus().getPhase()).isNotEqualTo(Phase.Suspended);
            assertThat(get("suspend-while-down").getStatus().getPlacement()).isNotNull();
        } finally {
            scheduler().start();
        }
        eventually("Suspended once the scheduler is back", () -> get("suspend-while-down").getStatus().getPhase() == Phase.Suspended);
        eventually("worker gone", () -> workers("suspend-while-down").isEmpty());
        assertThat(scheduler().deleted).contains(uid);
    }

    @Test
    void repeatedReconcilesCreateNothingTwice() {
        create(job("steady", 2, 8, List.of("h800")));
        eventually("2 workers", () -> workers("steady").size() == 2);
        int calls = scheduler().placeCalls.get();
        for (int i = 0; i < 5; i++) {
            // Each Pod change triggers a reconcile.
            Pod p = workers("steady").get(0);
            p.getMetadata().getLabels().put("touch", Integer.toString(i));
            client.pods().inNamespace(NS).resource(p).update();
        }
        eventually("reconciled again", () -> scheduler().placeCalls.get() > calls);
        assertThat(workers("steady")).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("steady-s0-w0", "steady-s1-w0");
        assertThat(client.services().inNamespace(NS).withLabel("tessera.dev/job", "steady").list().getItems()).hasSize(1);
    }

    @Test
    void failedWorkerIsRecreatedAndCounted() {
        TrainingJob tj = job("flaky", 1, 8, List.of("h800"));
        tj.getSpec().getFailurePolicy().setMaxRestarts(3);
        tj.getSpec().getFailurePolicy().setAvoidPoolAfter(5);
        create(tj);
        eventually("worker", () -> workers("flaky").size() == 1);
        setPhase("flaky", "Running");
        String firstUid = workers("flaky").get(0).getMetadata().getUid();
        setPhase("flaky", "Failed");
        eventually("restart counted", () -> get("flaky").getStatus().getRestarts() == 1);
        eventually("worker recreated", () -> workers("flaky").size() == 1
                && !workers("flaky").get(0).getMetadata().getUid().equals(firstUid));
        assertThat(get("flaky").getStatus().getPoolFailures()).containsEntry("h800-a", 1);
        setPhase("flaky", "Running");
        eventually("running again", () -> get("flaky").getStatus().getPhase() == Phase.Running);
    }

    double statusConflicts() {
        Counter c = registry.find("tessera.status.conflicts").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aStatusWriteThatMeetsAConcurrentChangeIsRetriedWithoutLosingTheRestart() {
        TrainingJob tj = job("contested", 1, 8, List.of("h800"));
        tj.getSpec().getFailurePolicy().setMaxRestarts(3);
        tj.getSpec().getFailurePolicy().setAvoidPoolAfter(5);
        create(tj);
        eventually("worker", () -> workers("contested").size() == 1);
        setPhase("contested", "Running");
        eventually("running", () -> get("contested").getStatus().getPhase() == Phase.Running);
        String firstUid = workers("contested").get(0).getMetadata().getUid();
        double conflictsBefore = statusConflicts();
        AtomicInteger edits = new AtomicInteger();

        // Another client relabels the job while the reconciler is between reading it and writing its status (the
        // scheduler call sits between the two), until a status write has met the change. A real API server answers
        // the stale write 409; the mock checks resourceVersions on the main resource only, not on /status, so the
        // same answer is queued for the next status write of this job.
        KubernetesClient other = new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
        String statusPath = "/apis/tessera.dev/v1alpha1/namespaces/" + NS + "/trainingjobs/contested/status";
        scheduler().whilePlacing.put("contested", () -> {
            Pod worker = other.pods().inNamespace(NS).withName("contested-s0-w0").get();
            if (statusConflicts() > conflictsBefore || edits.get() >= 10 || worker == null || worker.getStatus() == null
                    || !"Failed".equals(worker.getStatus().getPhase())) {
                return;
            }
            other.resources(TrainingJob.class).inNamespace(NS).withName("contested").edit(t -> {
                Map<String, String> labels = new HashMap<>(t.getMetadata().getLabels() == null ? Map.of() : t.getMetadata().getLabels());
                labels.put("team.example/touched", Integer.toString(edits.incrementAndGet()));
                t.getMetadata().setLabels(labels);
                return t;
            });
            apiServer.expect().put().withPath(statusPath).andReturn(409, Map.of("apiVersion", "v1", "kind", "Status",
                    "status", "Failure", "reason", "Conflict", "code", 409,
                    "message", "Operation cannot be fulfilled on trainingjobs.tessera.dev \"contested\": the object has been modified"))
                    .once();
        });
        try {
            setPhase("contested", "Failed");
            eventually("a status write met the concurrent change", () -> statusConflicts() > conflictsBefore);
            eventually("worker recreated", () -> workers("contested").size() == 1
                    && !workers("contested").get(0).getMetadata().getUid().equals(firstUid));
        } finally {
            scheduler().whilePlacing.remove("contested");
            other.close();
        }
        setPhase("contested", "Running");
        eventually("running again", () -> get("contested").getStatus().getPhase() == Phase.Running);

        TrainingJob done = get("contested");
        assertThat(edits.get()).as("concurrent changes made").isPositive();
        assertThat(done.getMetadata().getLabels()).as("the other client's change is kept").containsKey("team.example/touched");
        assertThat(done.getStatus().getRestarts()).as("the failure counted once, not lost").isEqualTo(1);
        assertThat(done.getStatus().getPoolFailures()).containsEntry("h800-a", 1);
        assertThat(done.getStatus().getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
        assertThat(done.getStatus().getShardsRunning()).isEqualTo(1);
        assertThat(conditionIs("contested", Conditions.PLACED, "True", "Placed")).isTrue();
        assertThat(condition("contested", Conditions.RUNNING).getStatus()).isEqualTo("True");
        assertThat(workers("contested")).hasSize(1);
    }

    @Test
    void restartsBeyondTheLimitFailTheJobAndReleaseItsChips() {
        TrainingJob tj = job("doomed", 1, 8, List.of("h800"));
        tj.getSpec().getFailurePolicy().setMaxRestarts(0);
        create(tj);
        eventually("worker", () -> workers("doomed").size() == 1);
        setPhase("doomed", "Failed");
        eventually("Failed", () -> get("doomed").getStatus().getPhase() == Phase.Failed);
        assertThat(conditionIs("doomed", Conditions.FAILED, "True", "RestartsExhausted")).isTrue();
        assertThat(conditionIs("doomed", Conditions.PLACED, "False", "RestartsExhausted")).isTrue();
        assertThat(scheduler().deleted).contains(get("doomed").getMetadata().getUid());
    }

    @Test
    void shardsMoveOffAPoolThatKeepsFailing() {
        TrainingJob tj = job("domestic", 1, 8, List.of("ascend-910b", "h800"));
        tj.getSpec().getFailurePolicy().setMaxRestarts(5);
        tj.getSpec().getFailurePolicy().setAvoidPoolAfter(2);
        create(tj);
        eventually("worker on ascend", () -> workers("domestic").size() == 1
                && "ascend-a".equals(workers("domestic").get(0).getMetadata().getLabels().get("tessera.dev/pool")));
        assertThat(workers("domestic").get(0).getSpec().getContainers().get(0).getResources().getLimits())
                .containsKey("huawei.com/Ascend910");
        setPhase("domestic", "Failed");
        eventually("first failure counted", () -> get("domestic").getStatus().getRestarts() == 1);
        eventually("recreated on ascend", () -> workers("domestic").size() == 1
                && workers("domestic").get(0).getStatus() == null);
        // The mock API server numbers every write with one counter, so resourceVersions order the writes of Pods and jobs.
        List<Long> movedOnRecord = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> workerOnNewPool = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (io.fabric8.kubernetes.client.Watch jobs = client.resources(TrainingJob.class).inNamespace(NS).withName("domestic")
                .watch(recorder(tj2 -> tj2.getStatus() != null && tj2.getStatus().getPlacement() != null
                        && tj2.getStatus().getPlacement().getShards().stream().anyMatch(s -> "h800-a".equals(s.getPool())),
                        movedOnRecord));
                io.fabric8.kubernetes.client.Watch workers = client.pods().inNamespace(NS).withLabel("tessera.dev/job", "domestic")
                        .watch(recorder(pod -> "h800-a".equals(pod.getMetadata().getLabels().get("tessera.dev/pool")),
                                workerOnNewPool))) {
            setPhase("domestic", "Failed");
            eventually("moved to h800", () -> workers("domestic").size() == 1
                    && "h800-a".equals(workers("domestic").get(0).getMetadata().getLabels().get("tessera.dev/pool")));
            eventually("Degraded", () -> conditionIs("domestic", Conditions.DEGRADED, "True", "PoolUnhealthy"));
            eventually("both writes seen", () -> !movedOnRecord.isEmpty() && !workerOnNewPool.isEmpty());
        }
        assertThat(condition("domestic", Conditions.DEGRADED).getMessage()).contains("ascend-a");
        assertThat(get("domestic").getStatus().getPlacement().getShards().get(0).getPool()).isEqualTo("h800-a");
        // The new pool is on record before a worker starts there: a scheduler restarted in between is re-told the pool
        // the shard moved to, not the one it left.
        assertThat(movedOnRecord.get(0)).as("resourceVersion of the status naming h800-a, before the worker's creation")
                .isLessThan(workerOnNewPool.get(0));
    }

    /** A watcher that records the resourceVersion of each event whose object matches, in the order they arrive. */
    static <T extends io.fabric8.kubernetes.api.model.HasMetadata> io.fabric8.kubernetes.client.Watcher<T> recorder(
            java.util.function.Predicate<T> matches, List<Long> versions) {
        return new io.fabric8.kubernetes.client.Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
                if (action != Action.DELETED && matches.test(resource)) {
                    versions.add(Long.parseLong(resource.getMetadata().getResourceVersion()));
                }
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        };
    }

    @Test
    void suspendReleasesChipsAndResumePlacesAgain() {
        create(job("pausable", 1, 8, List.of("h800")));
        eventually("worker", () -> workers("pausable").size() == 1);
        String uid = get("pausable").getMetadata().getUid();
        editSpec("pausable", spec -> spec.setSuspend(true));
        eventually("Suspended", () -> get("pausable").getStatus().getPhase() == Phase.Suspended);
        eventually("workers gone", () -> workers("pausable").isEmpty());
        assertThat(scheduler().placements).doesNotContainKey(uid);
        assertThat(conditionIs("pausable", Conditions.SUSPENDED, "True", "Suspended")).isTrue();

        editSpec("pausable", spec -> spec.setSuspend(false));
        eventually("placed again", () -> workers("pausable").size() == 1);
        assertThat(scheduler().placements).containsKey(uid);
        assertThat(conditionIs("pausable", Conditions.SUSPENDED, "False", "Resumed")).isTrue();
    }

    @Test
    void aSpecChangeThatAltersThePlacementPlacesAgain() {
        create(job("growing", 1, 8, List.of("h800")));
        eventually("1 worker", () -> workers("growing").size() == 1);
        editSpec("growing", spec -> spec.setShards(2));
        eventually("2 workers", () -> workers("growing").size() == 2);
        eventually("status shows 2 shards", () -> get("growing").getStatus().getPlacement().getShards().size() == 2
                && get("growing").getStatus().getObservedGeneration().equals(get("growing").getMetadata().getGeneration()));
        TrainingJob tj = get("growing");
        assertThat(tj.getStatus().getPlacement().getShards()).hasSize(2);
        assertThat(tj.getStatus().getObservedGeneration()).isEqualTo(tj.getMetadata().getGeneration());
    }

    @Test
    void theClientMapsWithBlackbird() throws Exception {
        var field = io.fabric8.kubernetes.client.utils.KubernetesSerialization.class.getDeclaredField("mapper");
        field.setAccessible(true);
        var mapper = (com.fasterxml.jackson.databind.ObjectMapper) field.get(client.getKubernetesSerialization());
        assertThat(mapper.getRegisteredModuleIds()).contains(new com.fasterxml.jackson.module.blackbird.BlackbirdModule().getTypeId());
    }

    @Test
    void watchEventsReadTrainingJobsStraightIntoTheirOwnClass() {
        String event = """
                {"type":"ADDED","object":{"apiVersion":"%s","kind":"TrainingJob",
                 "metadata":{"name":"read-once","namespace":"default","resourceVersion":"7"},
                 "spec":{"shards":2,"chipsPerShard":8}}}""".formatted(TrainingJob.GROUP + "/" + TrainingJob.VERSION);
        var read = client.getKubernetesSerialization().unmarshal(event, io.fabric8.kubernetes.api.model.WatchEvent.class);
        // an unknown kind is read as a GenericKubernetesResource and converted to the watched type for every event
        assertThat(read.getObject()).isInstanceOf(TrainingJob.class);
        assertThat(((TrainingJob) read.getObject()).getSpec().getShards()).isEqualTo(2);
    }

    @Test
    void deletingAJobReleasesItsPlacementThroughTheFinalizer() {
        create(job("short-lived", 1, 8, List.of("h800")));
        eventually("worker", () -> workers("short-lived").size() == 1);
        TrainingJob tj = get("short-lived");
        assertThat(tj.getMetadata().getFinalizers()).containsExactly("trainingjobs.tessera.dev/finalizer");
        String uid = tj.getMetadata().getUid();
        requestsSoFar();
        client.resource(tj).delete();
        eventually("job gone", () -> get("short-lived") == null);
        assertThat(scheduler().deleted).contains(uid);
        eventually("workers gone", () -> workers("short-lived").isEmpty());
        // one by one: a delete by label selector is the deletecollection verb, which the operator's role lacks
        assertThat(requestsSoFar()).noneMatch(r -> r.startsWith("DELETE") && r.contains("/pods?"));
    }

    /** The API requests made since the last call, as "METHOD path". */
    private List<String> requestsSoFar() {
        List<String> out = new java.util.ArrayList<>();
        try {
            for (var r = apiServer.getKubernetesMockServer().takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS); r != null;
                    r = apiServer.getKubernetesMockServer().takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                out.add(r.getMethod() + " " + r.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    @Test
    void theFinalizerIsStoredBeforeTheSchedulerIsAskedAndRemovedOnlyOnceTheChipsAreReleased() {
        List<List<String>> storedWhilePlacing = new java.util.concurrent.CopyOnWriteArrayList<>();
        scheduler().whilePlacing.put("guarded", () -> storedWhilePlacing.add(get("guarded").getMetadata().getFinalizers()));
        try {
            create(job("guarded", 1, 8, List.of("h800")));
            eventually("placed", () -> Conditions.isTrue(get("guarded").getStatus() == null ? List.of()
                    : get("guarded").getStatus().getConditions(), Conditions.PLACED));
            assertThat(storedWhilePlacing).isNotEmpty()
                    .allSatisfy(f -> assertThat(f).containsExactly("trainingjobs.tessera.dev/finalizer"));
        } finally {
            scheduler().whilePlacing.remove("guarded");
        }
        // Deleting it with another controller's finalizer still on: chips released, ours removed, theirs kept.
        TrainingJob tj = get("guarded");
        client.resources(TrainingJob.class).inNamespace(NS).withName("guarded")
                .edit(j -> { j.getMetadata().getFinalizers().add("example.com/keep"); return j; });
        client.resources(TrainingJob.class).inNamespace(NS).withName("guarded").delete();
        eventually("our finalizer removed", () -> get("guarded") != null
                && get("guarded").getMetadata().getFinalizers().equals(List.of("example.com/keep")));
        assertThat(scheduler().deleted).contains(tj.getMetadata().getUid());
        client.resources(TrainingJob.class).inNamespace(NS).withName("guarded")
                .edit(j -> { j.getMetadata().setFinalizers(List.of()); return j; });
        eventually("job gone", () -> get("guarded") == null);
    }

    @Test
    void aRestartedSchedulerIsReToldEveryBoundPlacementBeforeItPlacesAgain() {
        create(job("survivor", 1, 8, List.of("h800")));
        eventually("worker", () -> workers("survivor").size() == 1);
        String survivorUid = get("survivor").getMetadata().getUid();
        List<String> survivorNodes = get("survivor").getStatus().getPlacement().getShards().get(0).getNodes();

        // A restart: the scheduler forgets its ledger and refuses to place until synced.
        scheduler().placements.clear();
        scheduler().unsynced = true;
        int syncsBefore = scheduler().syncs.size();
        create(job("newcomer", 1, 8, List.of("h800")));
        eventually("newcomer placed", () -> workers("newcomer").size() == 1 && get("newcomer").getStatus().getPlacement() != null);
        assertThat(scheduler().syncs.size()).isGreaterThan(syncsBefore);
        var sync = scheduler().syncs.get(scheduler().syncs.size() - 1);
        assertThat(sync.get("placements").findValuesAsText("jobId")).contains(survivorUid);
        List<String> newcomerNodes = get("newcomer").getStatus().getPlacement().getShards().get(0).getNodes();
        assertThat(newcomerNodes).doesNotContainAnyElementsOf(survivorNodes);

        // the sync carries the spec's rules, so a shard moved later keeps to the chips the job allows
        var survivor = java.util.stream.StreamSupport.stream(sync.get("placements").spliterator(), false)
                .filter(p -> p.get("jobId").asText().equals(survivorUid)).findFirst().orElseThrow();
        assertThat(survivor.get("allowedChips").get(0).asText()).isEqualTo("h800");
        assertThat(survivor.get("wantedShards").asInt()).isEqualTo(1);
        assertThat(survivor.get("minShards").asInt()).isEqualTo(1);
        assertThat(survivor.get("mixing").asText()).isIn("Allowed", "SingleType");
        assertThat(survivor.get("shards").get(0).get("nodes").findValues("chips").stream()
                .mapToInt(com.fasterxml.jackson.databind.JsonNode::asInt).sum())
                .isEqualTo(8);

        // a second sync, sent while the first was on its way, is refused by the synced scheduler: that is no failure
        // (once the syncs of the reconciles that found it unsynced are done: a call waiting behind one sends none)
        eventually("no sync on its way", () -> !ledgerSync.syncInFlight());
        int refused = scheduler().refusedSyncs.get();
        ledgerSync.syncNow();
        assertThat(scheduler().refusedSyncs.get()).isEqualTo(refused + 1);
    }

    @Test
    void aJobWhoseFirstShardFinishedStaysRunningWhileTheOtherRuns() {
        create(job("finishing", 2, 8, List.of("h800")));
        eventually("workers", () -> workers("finishing").size() == 2);
        setPhase("finishing", "Running");
        eventually("Running", () -> get("finishing").getStatus().getPhase() == Phase.Running);
        Pod first = workers("finishing").stream().filter(p -> "0".equals(p.getMetadata().getLabels().get("tessera.dev/shard")))
                .findFirst().orElseThrow();
        setPhase(first, "Succeeded");
        eventually("the finished shard counted", () -> {
            Condition running = condition("finishing", Conditions.RUNNING);
            return running != null && running.getMessage().contains("1 finished");
        });
        TrainingJob tj = get("finishing");
        assertThat(tj.getStatus().getPhase()).isEqualTo(Phase.Running);
        assertThat(conditionIs("finishing", Conditions.RUNNING, "True", "AllShardsRunning")).isTrue();
        assertThat(condition("finishing", Conditions.RUNNING).getMessage()).isEqualTo("1 of 2 placed shards running, 1 finished");
        // the last shard finishing completes the job
        setPhase("finishing", "Succeeded");
        eventually("Succeeded", () -> get("finishing").getStatus().getPhase() == Phase.Succeeded);
    }

    @Test
    void aSchedulerThatStartedBeforeTheOperatorIsSyncedBeforeAnyJobAsksForChips() {
        // the fake scheduler starts unsynced, as a real one does; the operator syncs it when it starts reconciling
        assertThat(scheduler().syncs).isNotEmpty();
        assertThat(scheduler().placeCallsAtFirstSync).isZero();
    }

    @Test
    void reconcilesThatFindTheSchedulerUnsyncedAtOnceSendOneSync() throws Exception {
        scheduler().unsynced = true;
        int syncs = scheduler().syncs.size();
        int refused = scheduler().refusedSyncs.get();
        var hold = new java.util.concurrent.CountDownLatch(1);
        scheduler().holdSyncs = hold;
        var callers = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var first = callers.submit(ledgerSync::syncNow);
            eventually("first sync on its way", () -> scheduler().syncs.size() == syncs + 1);
            var second = callers.submit(ledgerSync::syncNow);
            var third = callers.submit(ledgerSync::syncNow);
            eventually("two more wait behind it", () -> ledgerSync.waitingForSync() >= 2);
            hold.countDown();
            first.get(30, java.util.concurrent.TimeUnit.SECONDS);
            second.get(30, java.util.concurrent.TimeUnit.SECONDS);
            third.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            scheduler().holdSyncs = null;
            hold.countDown();
            callers.shutdownNow();
        }
        // one sync sent; the two that waited neither sent another nor were refused one
        assertThat(scheduler().syncs).hasSize(syncs + 1);
        assertThat(scheduler().refusedSyncs.get()).isEqualTo(refused);
        assertThat(scheduler().unsynced).isFalse();
    }

    @Test
    void aSyncLeavesOutAJobReleasedWhoseStatusStillNamesItsPlacement() {
        create(job("let-go", 1, 8, List.of("h800")));
        eventually("worker", () -> workers("let-go").size() == 1);
        String uid = get("let-go").getMetadata().getUid();
        // the job's own reconciles (one comes with its worker's events) would place it again: meanwhile they
        // find the scheduler failing, so the job stays released
        scheduler().whilePlacing.put("let-go", () -> {
            throw new IllegalStateException("the scheduler is restarting");
        });
        try {
            // released, and the status that says so not written yet: then the scheduler restarts
            ledgerSync.release(uid);
            assertThat(get("let-go").getStatus().getPlacement()).isNotNull();
            int syncs = scheduler().syncs.size();
            scheduler().unsynced = true;
            ledgerSync.syncNow();
            assertThat(ledgerSync.isReleased(uid)).isTrue();
            assertThat(scheduler().syncs).hasSize(syncs + 1);
            assertThat(scheduler().syncs.get(syncs).get("placements").findValuesAsText("jobId")).doesNotContain(uid);
        } finally {
            scheduler().whilePlacing.remove("let-go");
        }
        // placed again, it is told again
        scheduler().placements.remove(uid);
        editSpec("let-go", spec -> spec.setPriority(spec.getPriority() + 1));
        eventually("placed again", () -> !ledgerSync.isReleased(uid));
    }

    @Test
    void aPreemptedJobLosesItsWorkersAndWaits() {
        create(job("low", 1, 8, List.of("h800")));
        eventually("low placed", () -> workers("low").size() == 1);
        String lowUid = get("low").getMetadata().getUid();
        scheduler().preemptOnNextPlacement.add(lowUid);
        scheduler().pendingReason = null;
        TrainingJob high = job("high", 1, 8, List.of("h800"));
        high.getSpec().setPriority(1000);
        create(high);
        eventually("high placed", () -> workers("high").size() == 1);
        eventually("low preempted", () -> conditionIs("low", Conditions.PLACED, "False", "Preempted"));
        eventually("low's workers gone", () -> workers("low").isEmpty());
        assertThat(get("low").getStatus().getPhase()).isEqualTo(Phase.Pending);

        // room again: the victim is placed again and runs
        scheduler().evicted.remove(lowUid);
        eventually("low placed again", () -> workers("low").size() == 1);
        // placed again is told as its first placement was
        eventually("a second Placed event", () -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "Placed".equals(e.getReason()) && "low".equals(e.getInvolvedObject().getName()))
                .mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum() >= 2);
        String lowWorker = workers("low").get(0).getMetadata().getUid();
        // The preemptor's worker crashes and is gone; its next pass asks for its placement again, and the
        // answer, as the same request answers the same, still names the job it once preempted. That job runs
        // on chips it got since, and keeps its workers.
        Pod highWorker = workers("high").get(0);
        client.pods().inNamespace(NS).withName(highWorker.getMetadata().getName()).delete();
        eventually("high's worker back", () -> workers("high").size() == 1
                && !workers("high").get(0).getMetadata().getUid().equals(highWorker.getMetadata().getUid()));
        assertThat(scheduler().placements.get(get("high").getMetadata().getUid()).path("preempted").toString()).contains(lowUid);
        assertThat(workers("low")).extracting(w -> w.getMetadata().getUid()).containsExactly(lowWorker);
        assertThat(conditionIs("low", Conditions.PLACED, "True", Conditions.Reasons.PLACED)).isTrue();
    }

    @Test
    void aNewTemplateReplacesEveryWorkerOfTheGangAndNothingElseDoes() {
        create(job("roll", 2, 8, List.of("h800")));
        eventually("two workers", () -> workers("roll").size() == 2);
        List<String> shards = get("roll").getStatus().getPlacement().getShards().stream()
                .map(sh -> sh.getIndex() + "@" + sh.getPool() + sh.getNodes()).toList();
        List<String> first = workers("roll").stream().map(w -> w.getMetadata().getUid()).toList();
        // an edit that is not the template leaves the workers alone
        editSpec("roll", spec -> spec.setPriority(spec.getPriority() + 1));
        eventually("the edit observed", () -> get("roll").getStatus().getObservedGeneration() == 2L);
        assertThat(workers("roll")).extracting(w -> w.getMetadata().getUid()).containsExactlyInAnyOrderElementsOf(first);
        // a new image: every worker is made again from it, on the chips the job holds
        editSpec("roll", spec -> spec.getTemplate().getSpec().getContainers().get(0).setImage("registry.example/llm:2.0"));
        eventually("every worker on the new image", () -> {
            List<Pod> now = workers("roll");
            return now.size() == 2 && now.stream().allMatch(w -> w.getMetadata().getDeletionTimestamp() == null
                    && "registry.example/llm:2.0".equals(w.getSpec().getContainers().get(0).getImage())
                    && !first.contains(w.getMetadata().getUid()));
        });
        assertThat(get("roll").getStatus().getPlacement().getShards().stream()
                .map(sh -> sh.getIndex() + "@" + sh.getPool() + sh.getNodes()).toList()).isEqualTo(shards);
        eventually("a TemplateChanged event", () -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "TemplateChanged".equals(e.getReason()) && "roll".equals(e.getInvolvedObject().getName())
                        && e.getMessage().contains("replacing 2 of 2 workers")));
        assertThat(get("roll").getStatus().getRestarts()).isZero();
    }

    @Test
    void anObjectThatHasTheNameOfAWorkerOrOfTheServiceIsReportedAndTheJobStartsOnceItIsGone() {
        // someone else's Pod with the name the job's worker needs, and a Service with the job's name
        client.pods().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("clash-s0-w0").addToLabels("app", "mine").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("busybox").endContainer().endSpec().build()).create();
        client.services().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata()
                .withName("clash").endMetadata().withNewSpec().addToSelector("app", "mine").addNewPort().withPort(80).endPort()
                .endSpec().build()).create();
        create(job("clash", 1, 8, List.of("h800")));
        eventually("the conflict reported", () -> conditionIs("clash", Conditions.RUNNING, "False", "NameConflict"));
        assertThat(condition("clash", Conditions.RUNNING).getMessage())
                .contains("Pod " + NS + "/clash-s0-w0 is not this job's and has the name its worker needs: delete or rename it")
                .contains("Service " + NS + "/clash is not this job's");
        eventually("a NameConflict warning", () -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "NameConflict".equals(e.getReason()) && "clash".equals(e.getInvolvedObject().getName())));
        assertThat(get("clash").getStatus().getPhase()).isEqualTo(Phase.Placed);
        // the user clears the way: the job's own worker and Service follow, with no event of theirs to wake the operator
        client.pods().inNamespace(NS).withName("clash-s0-w0").delete();
        client.services().inNamespace(NS).withName("clash").delete();
        eventually("the job's worker", () -> workers("clash").size() == 1);
        eventually("its own Service", () -> {
            io.fabric8.kubernetes.api.model.Service svc = client.services().inNamespace(NS).withName("clash").get();
            return svc != null && get("clash").getMetadata().getUid().equals(svc.getMetadata().getLabels().get("tessera.dev/job-uid"));
        });
        eventually("no conflict any more", () -> !conditionIs("clash", Conditions.RUNNING, "False", "NameConflict"));
    }

    @Test
    void aShardWhoseNodeIsGoneMovesAndItsWorkerStartsWhereTheLedgerSays() {
        create(job("lost", 1, 8, List.of("h800")));
        eventually("a worker", () -> workers("lost").size() == 1);
        Pod worker = workers("lost").get(0);
        String node = worker.getMetadata().getAnnotations().get("tessera.dev/planned-node");
        // the node goes, and with it (as the Pod garbage collector does) its Pod
        client.nodes().withName(node).delete();
        client.pods().inNamespace(NS).withName(worker.getMetadata().getName()).delete();
        eventually("the worker again, elsewhere", () -> {
            List<Pod> now = workers("lost");
            return now.size() == 1 && now.get(0).getMetadata().getDeletionTimestamp() == null
                    && !node.equals(now.get(0).getMetadata().getAnnotations().get("tessera.dev/planned-node"));
        });
        Pod moved = workers("lost").get(0);
        String to = moved.getMetadata().getAnnotations().get("tessera.dev/planned-node");
        assertThat(moved.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchFields().get(0).getValues()).containsExactly(to);
        assertThat(get("lost").getStatus().getPlacement().getShards().get(0).getNodes()).containsExactly(to);
        assertThat(scheduler().placements.get(get("lost").getMetadata().getUid()).get("shards").get(0).get("nodes").get(0)
                .get("name").asText()).isEqualTo(to);
        assertThat(conditionIs("lost", Conditions.DEGRADED, "True", "NodeUnavailable")).isTrue();
        assertThat(condition("lost", Conditions.DEGRADED).getMessage())
                .isEqualTo("shard 0 moved off node " + node + " (gone, or taking no new Pods) to pool h800-a, node " + to);
        assertThat(get("lost").getStatus().getRestarts()).isZero();
        // asked to leave the node, not the pool: another node of the same pool may take the shard
        JsonNode asked = scheduler().replacements.get(scheduler().replacements.size() - 1);
        assertThat(asked.get("avoidNodes").toString()).isEqualTo("[\"" + node + "\"]");
        assertThat(asked.get("avoidPools").toString()).isEqualTo("[]");
        eventually("a NodeUnavailable warning", () -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "NodeUnavailable".equals(e.getReason()) && "lost".equals(e.getInvolvedObject().getName())));
    }

    @Test
    void aWorkerTheApiServerRefusesIsAnInvalidSpecThatGivesTheChipsBackUntilTheSpecChanges() {
        String ns = "refusing";
        if (client.namespaces().withName(ns).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        // a check of the API server's own, which the operator does not make, refuses the first worker
        apiServer.expect().post().withPath("/api/v1/namespaces/" + ns + "/pods").andReturn(422, Map.of("apiVersion", "v1",
                "kind", "Status", "status", "Failure", "reason", "Invalid", "code", 422,
                "message", "Pod \"refused-s0-w0\" is invalid: spec.containers[0].name: Invalid value: \"Trainer_1\""))
                .once();
        TrainingJob tj = job("refused", 1, 8, List.of("h800"));
        tj.getMetadata().setNamespace(ns);
        client.resource(tj).create();
        var jobs = client.resources(TrainingJob.class).inNamespace(ns);
        eventually("InvalidSpec", () -> {
            TrainingJob j = jobs.withName("refused").get();
            return j.getStatus() != null && Conditions.find(j.getStatus().getConditions(), Conditions.PLACED)
                    .map(c -> "InvalidSpec".equals(c.getReason())).orElse(false);
        });
        TrainingJob refused = jobs.withName("refused").get();
        String uid = refused.getMetadata().getUid();
        assertThat(Conditions.find(refused.getStatus().getConditions(), Conditions.PLACED).orElseThrow().getMessage())
                .isEqualTo("the API server refused worker refused-s0-w0: Pod \"refused-s0-w0\" is invalid: "
                        + "spec.containers[0].name: Invalid value: \"Trainer_1\"");
        assertThat(refused.getStatus().getPhase()).isEqualTo(Phase.Pending);
        eventually("its chips given back", () -> !scheduler().placements.containsKey(uid));
        // a new spec is tried: its worker is made
        jobs.withName("refused").edit(j -> {
            j.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/llm:1.1");
            return j;
        });
        eventually("placed and its worker made", () -> client.pods().inNamespace(ns).withLabel("tessera.dev/job", "refused")
                .list().getItems().size() == 1);
        client.resources(TrainingJob.class).inNamespace(ns).withName("refused").delete();
    }

    @Test
    void aSchedulerThatRefusesTheOperatorsTokenStopsNoWorkerAndCallsNoSpecInvalid() {
        create(job("creds", 1, 8, List.of("h800")));
        eventually("running worker", () -> workers("creds").size() == 1);
        String worker = workers("creds").get(0).getMetadata().getUid();
        try {
            for (int refused : new int[] {401, 403}) {
                scheduler().refuseTokens = refused;
                // any pass asks the scheduler again: one for a new priority, which moves nothing
                int asked = scheduler().refusedCalls.get();
                editSpec("creds", spec -> spec.setPriority(refused));
                eventually("the scheduler asked and refusing", () -> scheduler().refusedCalls.get() > asked);
                assertThat(workers("creds")).extracting(w -> w.getMetadata().getUid()).containsExactly(worker);
                assertThat(condition("creds", Conditions.PLACED).getReason()).isNotEqualTo("InvalidSpec");
                assertThat(get("creds").getStatus().getPhase()).isNotEqualTo(Phase.Pending);
            }
        } finally {
            scheduler().refuseTokens = 0;
        }
        // the token is good again: the job goes on where it was
        eventually("placed as before", () -> conditionIs("creds", Conditions.PLACED, "True", Conditions.Reasons.PLACED));
        assertThat(workers("creds")).extracting(w -> w.getMetadata().getUid()).containsExactly(worker);
    }

    static String env(Pod p, String name) {
        return p.getSpec().getContainers().get(0).getEnv().stream().filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue).findFirst().orElse(null);
    }
}
