package dev.tessera.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tessera.operator.api.PlacementStatus;
import dev.tessera.operator.api.ShardPlacement;
import dev.tessera.operator.api.TrainingJob;
import dev.tessera.operator.api.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

class WorkerPodsTest {
    static TrainingJob job() {
        TrainingJob tj = new TrainingJob();
        tj.getMetadata().setName("ernie");
        tj.getMetadata().setNamespace("llm");
        tj.getMetadata().setUid("uid-1");
        TrainingJobSpec spec = new TrainingJobSpec();
        spec.setShards(2);
        spec.setChipsPerShard(12);
        spec.setTensorParallel(4);
        spec.setTemplate(new PodTemplateSpecBuilder().withNewMetadata().addToLabels("team", "llm").endMetadata()
                .withNewSpec().addToNodeSelector("zone", "bj")
                .addNewContainer().withName("trainer").withImage("llm:1").withEnv(new EnvVarBuilder().withName("RANK").withValue("99").build(),
                        new EnvVarBuilder().withName("HF_HOME").withValue("/cache").build())
                .withNewResources().addToLimits("memory", new Quantity("64Gi")).endResources().endContainer()
                .addNewContainer().withName("sidecar").withImage("log:1").endContainer()
                .endSpec().build());
        tj.setSpec(spec);
        return tj;
    }

    static ShardPlacement shard(int index, String pool, String chip, List<String> nodes, List<Integer> chips, double share) {
        ShardPlacement s = new ShardPlacement();
        s.setIndex(index);
        s.setPool(pool);
        s.setChip(chip);
        s.setChips(chips.stream().mapToInt(Integer::intValue).sum());
        s.setNodes(nodes);
        s.setNodeChips(chips);
        s.setBatchShare(share);
        return s;
    }

    static PlacementStatus placement() {
        PlacementStatus p = new PlacementStatus();
        p.getShards().add(shard(0, "h800-a", "h800", List.of("n1", "n2"), List.of(8, 4), 0.6));
        p.getShards().add(shard(1, "ascend-a", "ascend-910b", List.of("a1", "a2"), List.of(8, 4), 0.4));
        return p;
    }

    static String env(Pod p, int container, String name) {
        return p.getSpec().getContainers().get(container).getEnv().stream().filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue).findFirst().orElse(null);
    }

    @Test
    void onePodPerNodeOfEachShardWithDeterministicNames() {
        Map<String, Pod> pods = WorkerPods.desired(job(), placement(), Map.of("h800", "nvidia.com/gpu", "ascend-910b", "huawei.com/Ascend910"));
        assertThat(pods.keySet()).containsExactly("ernie-s0-w0", "ernie-s0-w1", "ernie-s1-w0", "ernie-s1-w1");
    }

    @Test
    void podsCarryPoolSelectorChipResourceOwnerAndLauncherEnvironment() {
        Map<String, Pod> pods = WorkerPods.desired(job(), placement(), Map.of("h800", "nvidia.com/gpu", "ascend-910b", "huawei.com/Ascend910"));
        Pod w = pods.get("ernie-s1-w1");
        assertThat(w.getSpec().getNodeSelector()).containsEntry("tessera.dev/pool", "ascend-a").containsEntry("zone", "bj");
        assertThat(w.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(w.getMetadata().getLabels()).containsEntry("team", "llm").containsEntry("tessera.dev/job-uid", "uid-1")
                .containsEntry("tessera.dev/shard", "1").containsEntry("tessera.dev/worker", "1");
        assertThat(w.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getUid()).isEqualTo("uid-1");
            assertThat(o.getController()).isTrue();
        });
        var trainer = w.getSpec().getContainers().get(0);
        assertThat(trainer.getResources().getLimits()).containsEntry("huawei.com/Ascend910", new Quantity("4"))
                .containsEntry("memory", new Quantity("64Gi"));
        assertThat(trainer.getResources().getRequests()).containsEntry("huawei.com/Ascend910", new Quantity("4"));
        assertThat(w.getSpec().getContainers().get(1).getResources()).isNull();
        assertThat(env(w, 0, "TESSERA_JOB")).isEqualTo("ernie");
        assertThat(env(w, 0, "TESSERA_SHARD")).isEqualTo("1");
        assertThat(env(w, 0, "TESSERA_SHARDS")).isEqualTo("2");
        assertThat(env(w, 0, "TESSERA_CHIP")).isEqualTo("ascend-910b");
        assertThat(env(w, 0, "TESSERA_BATCH_SHARE")).isEqualTo("0.400000");
        assertThat(env(w, 0, "WORLD_SIZE")).isEqualTo("4");
        assertThat(env(w, 0, "RANK")).as("the operator's rank replaces the template's").isEqualTo("3");
        assertThat(env(w, 0, "HF_HOME")).isEqualTo("/cache");
        assertThat(env(w, 0, "MASTER_ADDR")).isEqualTo("ernie-s0-w0.ernie.llm.svc");
        assertThat(env(w, 1, "MASTER_PORT")).isEqualTo("29500");
        assertThat(w.getSpec().getSubdomain()).isEqualTo("ernie");
        assertThat(w.getSpec().getHostname()).isEqualTo("ernie-s1-w1");
    }

    @Test
    void eachWorkerIsPinnedToTheNodeBookedForItWithinTheTemplatesOwnNodeAffinity() {
        Pod w = WorkerPods.desired(job(), placement(), Map.of()).get("ernie-s0-w1");
        var terms = w.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertThat(terms).singleElement().satisfies(t -> assertThat(t.getMatchFields()).singleElement().satisfies(f -> {
            assertThat(f.getKey()).isEqualTo("metadata.name");
            assertThat(f.getOperator()).isEqualTo("In");
            assertThat(f.getValues()).containsExactly("n2");
        }));
        assertThat(w.getMetadata().getAnnotations()).containsEntry("tessera.dev/planned-node", "n2");
        // a template that requires zones of its own (terms are alternatives): the booked node is required in each
        TrainingJob tj = job();
        tj.getSpec().getTemplate().getSpec().setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("bj").endMatchExpression()
                .endNodeSelectorTerm()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("sh").endMatchExpression()
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
        Pod zoned = WorkerPods.desired(tj, placement(), Map.of()).get("ernie-s1-w0");
        assertThat(zoned.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()).hasSize(2).allSatisfy(t -> {
                    assertThat(t.getMatchExpressions()).hasSize(1);
                    assertThat(t.getMatchFields()).singleElement().satisfies(f -> assertThat(f.getValues()).containsExactly("a1"));
                });
        assertThat(tj.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())
                .allSatisfy(t -> assertThat(t.getMatchFields()).isNullOrEmpty());
    }

    @Test
    void aWorkerServesItsSlotOnlyWhileWhatItWasToldOfTheGangHolds() {
        Map<String, Pod> before = WorkerPods.desired(job(), placement(), Map.of());
        assertThat(TrainingJobReconciler.sameSlot(before.get("ernie-s0-w0"), WorkerPods.desired(job(), placement(), Map.of())
                .get("ernie-s0-w0"))).isTrue();
        // shard 1 moved, and the batch split with it: shard 0's workers stay where they are but are told another share
        PlacementStatus moved = placement();
        moved.getShards().set(1, shard(1, "a800-a", "a800", List.of("b1", "b2"), List.of(8, 4), 0.45));
        moved.getShards().get(0).setBatchShare(0.55);
        Map<String, Pod> after = WorkerPods.desired(job(), moved, Map.of());
        assertThat(TrainingJobReconciler.sameSlot(before.get("ernie-s0-w0"), after.get("ernie-s0-w0"))).isFalse();
        // a moved shard of one node fewer renumbers the ranks after it and shrinks the world
        PlacementStatus smaller = placement();
        smaller.getShards().set(0, shard(0, "h800-a", "h800", List.of("n1"), List.of(12), 0.6));
        Map<String, Pod> renumbered = WorkerPods.desired(job(), smaller, Map.of());
        assertThat(TrainingJobReconciler.sameSlot(before.get("ernie-s1-w1"), renumbered.get("ernie-s1-w1"))).isFalse();
        // a worker made before template digests still serves its slot
        Pod old = new io.fabric8.kubernetes.api.model.PodBuilder(before.get("ernie-s1-w0")).editMetadata()
                .removeFromAnnotations("tessera.dev/template-hash").endMetadata().build();
        assertThat(TrainingJobReconciler.sameSlot(old, before.get("ernie-s1-w0"))).isTrue();
    }

    @Test
    void theTemplateInTheSpecIsNotChanged() {
        TrainingJob tj = job();
        WorkerPods.desired(tj, placement(), Map.of());
        assertThat(tj.getSpec().getTemplate().getSpec().getNodeSelector()).containsOnlyKeys("zone");
        assertThat(tj.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).hasSize(2);
    }

    @Test
    void rendezvousServiceIsHeadlessAndSelectsTheJobsWorkers() {
        var svc = WorkerPods.rendezvous(job());
        assertThat(svc.getMetadata().getName()).isEqualTo("ernie");
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(svc.getSpec().getSelector()).containsEntry("tessera.dev/job-uid", "uid-1");
        assertThat(svc.getSpec().getPublishNotReadyAddresses()).isTrue();
    }
}
