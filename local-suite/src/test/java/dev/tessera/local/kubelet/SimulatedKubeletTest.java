package dev.tessera.local.kubelet;

import dev.tessera.local.fleet.SampleFleet;
import dev.tessera.local.fleet.SampleFleet.PoolSpec;
import dev.tessera.local.kube.LocalKubeApi;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedKubeletTest {

    private static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");
    private static LocalKubeApi api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = LocalKubeApi.start(0);
        client = api.client();
        api.installCrd(SimulatedKubeletTest.class.getResourceAsStream("/test-trainingjob-crd.yml"));
        SampleFleet.nodes(List.of(
                new PoolSpec("h800-a", "h800", "NVIDIA-H800", SampleFleet.NVIDIA_GPU, 2, 8, "h800-a"),
                new PoolSpec("ascend-a", "ascend-910b", null, SampleFleet.ASCEND, 1, 8, "ascend-a"))).forEach(api::apply);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void clean() {
        client.pods().inNamespace("default").delete();
    }

    private static Pod worker(String name, String pool, String resource, int chips) {
        return client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeSelector(Map.of(SampleFleet.POOL_LABEL, pool))
                .addNewContainer().withName("trainer").withImage("registry.example/llm:1.0")
                .withNewResources().withLimits(Map.of(resource, new Quantity(String.valueOf(chips)))).endResources()
                .endContainer().endSpec().build()).create();
    }

    private static Pod get(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    @Test
    void bindsToAMatchingNodeWithRoomAndLeavesTheRestPending() {
        SimulatedKubelet kubelet = new SimulatedKubelet(client, new KubeletSettings(1, Map.of(), 1));
        worker("a-s0-w0", "h800-a", SampleFleet.NVIDIA_GPU, 8);
        worker("a-s0-w1", "h800-a", SampleFleet.NVIDIA_GPU, 8);
        worker("a-s0-w2", "h800-a", SampleFleet.NVIDIA_GPU, 8);
        kubelet.tick(T0);
        assertThat(get("a-s0-w0").getSpec().getNodeName()).isEqualTo("h800-a-001");
        assertThat(get("a-s0-w1").getSpec().getNodeName()).isEqualTo("h800-a-002");
        assertThat(get("a-s0-w0").getStatus().getPhase()).isEqualTo("Running");
        Pod third = get("a-s0-w2");
        assertThat(third.getSpec().getNodeName()).as("two nodes of 8 chips are full").isNull();
        assertThat(third.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("Unschedulable"));
    }

    @Test
    void prefersTheNodeTheSchedulerPlanned() {
        SimulatedKubelet kubelet = new SimulatedKubelet(client, new KubeletSettings(1, Map.of(), 1));
        client.pods().inNamespace("default").resource(new PodBuilder(worker("p-s0-w0", "h800-a", SampleFleet.NVIDIA_GPU, 8))
                .editMetadata().addToAnnotations(SimulatedKubelet.PLANNED_NODE, "h800-a-002").endMetadata().build()).update();
        kubelet.tick(T0);
        assertThat(get("p-s0-w0").getSpec().getNodeName()).isEqualTo("h800-a-002");
    }

    @Test
    void aPodPinnedToANodeByAffinityWaitsForThatNodeAlone() {
        SimulatedKubelet kubelet = new SimulatedKubelet(client, new KubeletSettings(1, Map.of(), 1));
        // the other node is full; the pinned Pod does not go there
        worker("full-s0-w0", "h800-a", SampleFleet.NVIDIA_GPU, 8);
        kubelet.tick(T0);
        String taken = get("full-s0-w0").getSpec().getNodeName();
        String other = taken.equals("h800-a-001") ? "h800-a-002" : "h800-a-001";
        client.pods().inNamespace("default").resource(new PodBuilder(worker("pin-s0-w0", "h800-a", SampleFleet.NVIDIA_GPU, 8))
                .editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchField().withKey("metadata.name").withOperator("In").withValues(taken)
                .endMatchField().endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
                .endAffinity().endSpec().build()).update();
        kubelet.tick(T0.plusSeconds(1));
        Pod pinned = get("pin-s0-w0");
        assertThat(pinned.getSpec().getNodeName()).as("%s has room, but is not the node it is pinned to", other).isNull();
        assertThat(pinned.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("Unschedulable"));
        // its node frees up: there it goes
        client.pods().inNamespace("default").withName("full-s0-w0").delete();
        kubelet.tick(T0.plusSeconds(2));
        assertThat(get("pin-s0-w0").getSpec().getNodeName()).isEqualTo(taken);
    }

    @Test
    void aCordonedOrNotReadyNodeTakesNoNewPod() {
        SimulatedKubelet kubelet = new SimulatedKubelet(client, new KubeletSettings(1, Map.of(), 1));
        client.nodes().withName("h800-a-001").edit(n -> {
            n.getSpec().setUnschedulable(true);
            return n;
        });
        client.nodes().withName("h800-a-002").editStatus(n -> {
            n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).forEach(c -> c.setStatus("False"));
            return n;
        });
        try {
            worker("c-s0-w0", "h800-a", SampleFleet.NVIDIA_GPU, 8);
            kubelet.tick(T0);
            assertThat(get("c-s0-w0").getSpec().getNodeName()).isNull();
            client.nodes().withName("h800-a-001").edit(n -> {
                n.getSpec().setUnschedulable(false);
                return n;
            });
            kubelet.tick(T0.plusSeconds(1));
            assertThat(get("c-s0-w0").getSpec().getNodeName()).isEqualTo("h800-a-001");
        } finally {
            client.nodes().withName("h800-a-001").edit(n -> {
                n.getSpec().setUnschedulable(false);
                return n;
            });
            client.nodes().withName("h800-a-002").editStatus(n -> {
                n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).forEach(c -> c.setStatus("True"));
                return n;
            });
        }
    }

    @Test
    void succeedsAfterTheScaledRunTime() {
        SimulatedKubelet kubelet = new SimulatedKubelet(client, new KubeletSettings(3600, Map.of(), 1));
        worker("b-s0-w0", "h800-a", SampleFleet.NVIDIA_GPU, 8);
        kubelet.tick(T0);
        // no job estimate: six simulated hours, six real seconds at 3600x
        kubelet.tick(T0.plus(Duration.ofSeconds(5)));
        assertThat(get("b-s0-w0").getStatus().getPhase()).isEqualTo("Running");
        kubelet.tick(T0.plus(Duration.ofSeconds(7)));
        Pod done = get("b-s0-w0");
        assertThat(done.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(done.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isZero();
    }

    @Test
    void runsAsLongAsItsJobsEstimateAtTheTimeScale() {
        var jobs = client.genericKubernetesResources("tessera.dev/v1alpha1", "TrainingJob").inNamespace("default");
        var job = jobs.resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("tessera.dev/v1alpha1").withKind("TrainingJob").withNewMetadata().withName("est").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("shards", 1, "chipsPerShard", 8,
                        "workload", Map.of("totalSteps", 36_000)))).build()).create();
        job.setAdditionalProperty("status", Map.of("placement", Map.of("estimate", Map.of("stepsPerSecond", 1.0))));
        jobs.resource(job).updateStatus();
        // 36,000 steps at 1 step/s: ten simulated hours, ten real seconds at 3600x
        SimulatedKubelet kubelet = new SimulatedKubelet(client, new KubeletSettings(3600, Map.of(), 1));
        client.pods().inNamespace("default").resource(new PodBuilder(worker("est-s0-w0", "h800-a", SampleFleet.NVIDIA_GPU, 8))
                .editMetadata().addNewOwnerReference().withApiVersion("tessera.dev/v1alpha1").withKind("TrainingJob")
                .withName("est").withUid(job.getMetadata().getUid()).endOwnerReference().endMetadata().build()).update();
        kubelet.tick(T0);
        kubelet.tick(T0.plus(Duration.ofSeconds(9)));
        assertThat(get("est-s0-w0").getStatus().getPhase()).isEqualTo("Running");
        kubelet.tick(T0.plus(Duration.ofSeconds(11)));
        assertThat(get("est-s0-w0").getStatus().getPhase()).isEqualTo("Succeeded");
        jobs.withName("est").delete();
    }

    @Test
    void crashesAtThePerChipRate() {
        SimulatedKubelet kubelet = new SimulatedKubelet(client, new KubeletSettings(1, Map.of("ascend-910b", 1.0), 1));
        worker("c-s0-w0", "ascend-a", SampleFleet.ASCEND, 8);
        worker("c-s1-w0", "h800-a", SampleFleet.NVIDIA_GPU, 8);
        kubelet.tick(T0);
        kubelet.tick(T0.plus(Duration.ofSeconds(1)));
        assertThat(get("c-s0-w0").getStatus().getPhase()).as("certain crash on ascend").isEqualTo("Failed");
        assertThat(get("c-s1-w0").getStatus().getPhase()).as("h800 has no crash rate here").isEqualTo("Running");
    }

    @Test
    void crashRatesParse() {
        assertThat(KubeletSettings.parseCrashRates("off")).isEmpty();
        assertThat(KubeletSettings.defaults().crashRatePerDay("ascend-910b"))
                .isGreaterThan(KubeletSettings.defaults().crashRatePerDay("h800"));
    }
}
