package dev.tessera.operator.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.tessera.operator.api.PlacementStatus;
import dev.tessera.operator.api.ShardPlacement;
import dev.tessera.operator.api.TrainingJob;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Builds the worker Pods and the rendezvous Service of a placed job: one Pod per node a shard
 * uses, named {@code <job>-s<shard>-w<worker>}.
 */
public final class WorkerPods {
    public static final String LABEL_POOL = "tessera.dev/pool";
    public static final String LABEL_CHIP = "tessera.dev/chip";
    public static final String LABEL_JOB = "tessera.dev/job";
    public static final String LABEL_JOB_UID = "tessera.dev/job-uid";
    public static final String LABEL_SHARD = "tessera.dev/shard";
    public static final String LABEL_WORKER = "tessera.dev/worker";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "tessera-operator";
    public static final String ANNOTATION_NODE = "tessera.dev/planned-node";
    /**
     * A digest of the {@code spec.template} a worker was made from: a worker of an earlier template is
     * replaced, with every other worker of the job, so a gang never runs two versions of its code.
     */
    public static final String ANNOTATION_TEMPLATE = "tessera.dev/template-hash";
    public static final int MASTER_PORT = 29500;

    private WorkerPods() {
    }

    /** The first 16 hex digits of the SHA-256 of the job's pod template as JSON (of an empty template when it has none). */
    public static String templateHash(TrainingJob job) {
        PodTemplateSpec template = job.getSpec().getTemplate() == null ? new PodTemplateSpec() : job.getSpec().getTemplate();
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Serialization.asJson(template).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Requires the node the scheduler booked for the worker (by name, as the DaemonSet controller pins its
     * Pods), added to every term of the template's own required node affinity. Without it the Kubernetes
     * scheduler may start the worker on another node of the pool, on chips the ledger books for another job.
     */
    static void pinTo(PodSpec spec, String node) {
        NodeSelectorRequirement onNode = new NodeSelectorRequirementBuilder().withKey("metadata.name").withOperator("In")
                .withValues(node).build();
        Affinity affinity = spec.getAffinity() == null ? new Affinity() : spec.getAffinity();
        NodeAffinity nodeAffinity = affinity.getNodeAffinity() == null ? new NodeAffinity() : affinity.getNodeAffinity();
        NodeSelector required = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
            required = new NodeSelectorBuilder().addNewNodeSelectorTerm().withMatchFields(onNode).endNodeSelectorTerm().build();
        } else {
            for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
                List<NodeSelectorRequirement> fields = new ArrayList<>(term.getMatchFields() == null ? List.of() : term.getMatchFields());
                fields.add(onNode);
                term.setMatchFields(fields);
            }
        }
        nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(required);
        affinity.setNodeAffinity(nodeAffinity);
        spec.setAffinity(affinity);
    }

    /**
     * What a worker is told of the whole gang at its start: when any of it changes (a moved shard changes every
     * shard's batch share, and may change the ranks and the world size), every worker it changed for is made
     * again, so the gang never runs on two batch splits.
     */
    static final List<String> GANG_ENV = List.of("TESSERA_BATCH_SHARE", "TESSERA_SHARDS", "WORLD_SIZE", "RANK", "MASTER_ADDR");

    /** The value of an environment variable of the worker's trainer (its first container), or null. */
    static String env(Pod pod, String name) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null || pod.getSpec().getContainers().isEmpty()
                || pod.getSpec().getContainers().get(0).getEnv() == null) {
            return null;
        }
        return pod.getSpec().getContainers().get(0).getEnv().stream().filter(e -> name.equals(e.getName()))
                .map(EnvVar::getValue).findFirst().orElse(null);
    }

    public static String podName(String job, int shard, int worker) {
        return job + "-s" + shard + "-w" + worker;
    }

    /** Every worker Pod the placement asks for, keyed by name. */
    public static Map<String, Pod> desired(TrainingJob job, PlacementStatus placement, Map<String, String> resourceByChip) {
        Map<String, Pod> pods = new java.util.LinkedHashMap<>();
        int worldSize = placement.getShards().stream().mapToInt(s -> s.getNodes().size()).sum();
        String master = placement.getShards().isEmpty() ? null
                : podName(job.getMetadata().getName(), placement.getShards().get(0).getIndex(), 0);
        String templateHash = templateHash(job); // one digest for every worker of the job
        int rank = 0;
        for (ShardPlacement shard : placement.getShards()) {
            for (int w = 0; w < shard.getNodes().size(); w++) {
                int chipsOnNode = w < shard.getNodeChips().size() ? shard.getNodeChips().get(w)
                        : shard.getChips() / shard.getNodes().size();
                Pod pod = worker(job, placement.getShards().size(), shard, w, chipsOnNode, rank++, worldSize, master,
                        resourceByChip.getOrDefault(shard.getChip(), "nvidia.com/gpu"), templateHash);
                pods.put(pod.getMetadata().getName(), pod);
            }
        }
        return pods;
    }

    static Pod worker(TrainingJob job, int shards, ShardPlacement shard, int worker, int chipsOnNode, int rank,
            int worldSize, String masterPod, String resourceName, String templateHash) {
        String jobName = job.getMetadata().getName();
        String ns = job.getMetadata().getNamespace();
        PodTemplateSpec template = job.getSpec().getTemplate() == null ? new PodTemplateSpec()
                : Serialization.clone(job.getSpec().getTemplate());
        PodSpec spec = template.getSpec() == null ? new PodSpec() : template.getSpec();
        ObjectMeta tmeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();

        Map<String, String> labels = new HashMap<>(tmeta.getLabels() == null ? Map.of() : tmeta.getLabels());
        labels.put(LABEL_JOB, jobName);
        labels.put(LABEL_JOB_UID, job.getMetadata().getUid());
        labels.put(LABEL_SHARD, Integer.toString(shard.getIndex()));
        labels.put(LABEL_WORKER, Integer.toString(worker));
        labels.put(LABEL_POOL, shard.getPool());
        labels.put(LABEL_CHIP, shard.getChip());
        labels.put(LABEL_MANAGED_BY, MANAGED_BY);
        Map<String, String> annotations = new HashMap<>(tmeta.getAnnotations() == null ? Map.of() : tmeta.getAnnotations());
        annotations.put(ANNOTATION_NODE, shard.getNodes().get(worker));
        annotations.put(ANNOTATION_TEMPLATE, templateHash);

        Map<String, String> selector = new HashMap<>(spec.getNodeSelector() == null ? Map.of() : spec.getNodeSelector());
        selector.put(LABEL_POOL, shard.getPool());
        spec.setNodeSelector(selector);
        pinTo(spec, shard.getNodes().get(worker));
        // Restarts are counted and decided by the operator, not by the kubelet.
        spec.setRestartPolicy("Never");
        spec.setHostname(podName(jobName, shard.getIndex(), worker));
        spec.setSubdomain(jobName);

        List<EnvVar> env = List.of(
                env("TESSERA_JOB", jobName),
                env("TESSERA_SHARD", Integer.toString(shard.getIndex())),
                env("TESSERA_SHARDS", Integer.toString(shards)),
                env("TESSERA_WORKER", Integer.toString(worker)),
                env("TESSERA_CHIP", shard.getChip()),
                env("TESSERA_CHIPS_ON_NODE", Integer.toString(chipsOnNode)),
                env("TESSERA_TENSOR_PARALLEL", Integer.toString(job.getSpec().effectiveTensorParallel())),
                env("TESSERA_BATCH_SHARE", String.format(Locale.ROOT, "%.6f", shard.getBatchShare())),
                env("MASTER_ADDR", masterPod + "." + jobName + "." + ns + ".svc"),
                env("MASTER_PORT", Integer.toString(MASTER_PORT)),
                env("WORLD_SIZE", Integer.toString(worldSize)),
                env("RANK", Integer.toString(rank)));
        if (spec.getContainers() == null || spec.getContainers().isEmpty()) {
            spec.setContainers(new ArrayList<>(List.of(new Container())));
        }
        for (int i = 0; i < spec.getContainers().size(); i++) {
            Container c = spec.getContainers().get(i);
            List<EnvVar> merged = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
            merged.removeIf(e -> env.stream().anyMatch(t -> t.getName().equals(e.getName())));
            merged.addAll(env);
            c.setEnv(merged);
            if (i == 0) {
                // The chips go to the first container, the trainer; sidecars get none.
                ResourceRequirements r = c.getResources() == null ? new ResourceRequirements() : c.getResources();
                Map<String, Quantity> limits = new HashMap<>(r.getLimits() == null ? Map.of() : r.getLimits());
                Map<String, Quantity> requests = new HashMap<>(r.getRequests() == null ? Map.of() : r.getRequests());
                limits.put(resourceName, new Quantity(Integer.toString(chipsOnNode)));
                requests.put(resourceName, new Quantity(Integer.toString(chipsOnNode)));
                r.setLimits(limits);
                r.setRequests(requests);
                c.setResources(r);
            }
        }
        return new PodBuilder()
                .withNewMetadata().withName(podName(jobName, shard.getIndex(), worker)).withNamespace(ns)
                .withLabels(labels).withAnnotations(annotations).withOwnerReferences(owner(job)).endMetadata()
                .withSpec(spec).build();
    }

    /** Headless Service named after the job, so MASTER_ADDR resolves to the first worker. */
    public static Service rendezvous(TrainingJob job) {
        return new ServiceBuilder()
                .withNewMetadata().withName(job.getMetadata().getName()).withNamespace(job.getMetadata().getNamespace())
                .addToLabels(LABEL_JOB, job.getMetadata().getName())
                .addToLabels(LABEL_JOB_UID, job.getMetadata().getUid())
                .addToLabels(LABEL_MANAGED_BY, MANAGED_BY)
                .withOwnerReferences(owner(job)).endMetadata()
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
                .addToSelector(LABEL_JOB_UID, job.getMetadata().getUid())
                .addNewPort().withName("rendezvous").withPort(MASTER_PORT).endPort()
                .endSpec().build();
    }

    static OwnerReference owner(TrainingJob job) {
        return new OwnerReferenceBuilder().withApiVersion(job.getApiVersion()).withKind(job.getKind())
                .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}
