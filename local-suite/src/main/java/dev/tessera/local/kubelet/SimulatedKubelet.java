package dev.tessera.local.kubelet;

import dev.tessera.local.fleet.SampleFleet;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stands in for kube-scheduler and the kubelets of the sample fleet, for the local suite only:
 * binds pending Pods to a node that matches their nodeSelector and has room for their chips,
 * runs them, ends them {@code Succeeded} after their job's estimated run time (compressed by the
 * time scale) or {@code Failed} at random, at a per-chip crash rate.
 */
public final class SimulatedKubelet implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SimulatedKubelet.class.getName());
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    private static final List<String> CHIP_RESOURCES = List.of(SampleFleet.NVIDIA_GPU, SampleFleet.ASCEND,
            "kunlunxin.com/xpu", "hygon.com/dcu");
    /** Simulated run time of a worker whose job has no estimate yet. */
    static final Duration DEFAULT_RUN_TIME = Duration.ofHours(6);
    private static final double DAY_SECONDS = 86_400;
    static final String PLANNED_NODE = "tessera.dev/planned-node";

    private final KubernetesClient client;
    private final KubeletSettings settings;
    private final Random random;
    private final Map<String, Instant> lastSeen = new HashMap<>();
    /** Run time per Pod uid, read from its job once rather than on every pass. */
    private final Map<String, Duration> runTimes = new HashMap<>();
    /** Node of each Pod this kubelet started, until its cache shows the Pod as it left it. */
    private final Map<String, String> started = new HashMap<>();
    /** Pods this kubelet ended. */
    private final Set<String> ended = new HashSet<>();
    private ScheduledExecutorService loop;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Node> nodes;

    public SimulatedKubelet(KubernetesClient client, KubeletSettings settings) {
        this.client = client;
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    /** Runs {@link #tick(Instant)} every {@code period} until closed. */
    public SimulatedKubelet start(Duration period) {
        // like a real kubelet, watch rather than list: each pass reads the informers' caches
        pods = client.pods().inAnyNamespace().inform();
        nodes = client.nodes().inform();
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulated-kubelet");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(() -> {
            try {
                tick(Instant.now());
            } catch (KubernetesClientException | IllegalStateException e) {
                LOG.log(Level.FINE, "kubelet pass failed, the next pass retries", e);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass over all Pods: bind, start, finish or crash. */
    public synchronized void tick(Instant now) {
        List<Node> nodes = new ArrayList<>(this.nodes == null ? client.nodes().list().getItems() : this.nodes.getStore().list());
        nodes.sort(Comparator.comparing(n -> n.getMetadata().getName()));
        List<Pod> pods = new ArrayList<>(this.pods == null ? client.pods().inAnyNamespace().list().getItems() : this.pods.getStore().list());
        pods.sort(Comparator.comparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()))
                .thenComparing(p -> p.getMetadata().getName()));
        Map<String, Map<String, Long>> used = usage(pods);
        Map<String, Node> byName = new HashMap<>();
        nodes.forEach(n -> byName.put(n.getMetadata().getName(), n));
        for (Pod pod : pods) {
            String uid = pod.getMetadata().getUid();
            if (pod.getMetadata().getDeletionTimestamp() != null || ended.contains(uid)) {
                continue;
            }
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            String nodeName = pod.getSpec().getNodeName();
            try {
                if (nodeName == null && !started.containsKey(uid)) {
                    bind(pod, nodes, used, now);
                } else if ((phase == null || "Pending".equals(phase)) && !started.containsKey(uid)) {
                    if (byName.containsKey(nodeName)) {
                        markRunning(pod, nodeName, now);
                    }
                } else if ("Running".equals(phase)) {
                    progress(pod, byName.get(nodeName), now);
                }
            } catch (KubernetesClientException e) {
                // the Pod changed or went meanwhile: the next pass sees it as it is now
                LOG.log(Level.FINE, "kubelet step for pod " + pod.getMetadata().getName() + " failed", e);
            }
        }
        List<String> uids = pods.stream().map(p -> p.getMetadata().getUid()).toList();
        lastSeen.keySet().retainAll(uids);
        runTimes.keySet().retainAll(uids);
        started.keySet().retainAll(uids);
        ended.retainAll(uids);
    }

    /**
     * Chips in use per node. A Pod this kubelet bound or ended counts as it left it even when the
     * cache does not show that write yet.
     */
    private Map<String, Map<String, Long>> usage(List<Pod> pods) {
        Map<String, Map<String, Long>> used = new HashMap<>();
        for (Pod pod : pods) {
            String uid = pod.getMetadata().getUid();
            String node = pod.getSpec().getNodeName() != null ? pod.getSpec().getNodeName() : started.get(uid);
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if (node == null || "Succeeded".equals(phase) || "Failed".equals(phase) || ended.contains(uid)) {
                continue;
            }
            requests(pod).forEach((r, q) -> used.computeIfAbsent(node, n -> new HashMap<>()).merge(r, q, Long::sum));
        }
        return used;
    }

    static Map<String, Long> requests(Pod pod) {
        Map<String, Long> total = new HashMap<>();
        pod.getSpec().getContainers().forEach(c -> {
            if (c.getResources() == null) {
                return;
            }
            Map<String, Quantity> wanted = new HashMap<>();
            if (c.getResources().getLimits() != null) {
                wanted.putAll(c.getResources().getLimits());
            }
            if (c.getResources().getRequests() != null) {
                wanted.putAll(c.getResources().getRequests());
            }
            wanted.forEach((r, q) -> {
                if (CHIP_RESOURCES.contains(r) || r.contains("/")) {
                    total.merge(r, q.getNumericalAmount().longValue(), Long::sum);
                }
            });
        });
        return total;
    }

    private void bind(Pod pod, List<Node> nodes, Map<String, Map<String, Long>> used, Instant now) {
        Map<String, String> selector = pod.getSpec().getNodeSelector() == null ? Map.of() : pod.getSpec().getNodeSelector();
        Map<String, Long> wanted = requests(pod);
        // the operator annotates the node the scheduler planned (and pins its workers there by affinity): tried first
        String planned = pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get(PLANNED_NODE);
        List<Node> candidates = new ArrayList<>(nodes);
        if (planned != null) {
            candidates.sort(Comparator.comparing((Node n) -> !n.getMetadata().getName().equals(planned)));
        }
        for (Node node : candidates) {
            Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
            if (!selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))
                    || !namedByAffinity(pod, node.getMetadata().getName()) || !takesNewPods(node)) {
                continue;
            }
            String name = node.getMetadata().getName();
            Map<String, Long> onNode = used.getOrDefault(name, Map.of());
            boolean fits = wanted.entrySet().stream().allMatch(e -> {
                Quantity allocatable = node.getStatus().getAllocatable().get(e.getKey());
                long free = allocatable == null ? 0 : allocatable.getNumericalAmount().longValue() - onNode.getOrDefault(e.getKey(), 0L);
                return free >= e.getValue();
            });
            if (fits) {
                wanted.forEach((r, q) -> used.computeIfAbsent(name, n -> new HashMap<>()).merge(r, q, Long::sum));
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .patch(MERGE, Serialization.asJson(Map.of("spec", Map.of("nodeName", name))));
                markRunning(pod, name, now);
                return;
            }
        }
        setPending(pod, "Unschedulable", "0/" + nodes.size() + " nodes are available: no node matches the selector "
                + selector + (planned == null ? "" : " and node affinity (" + planned + ")") + " with " + wanted + " free");
    }

    /**
     * Not cordoned and Ready, as the Kubernetes scheduler wants a node for a new Pod (the taints of a cordoned
     * or not-Ready node keep Pods off it that do not tolerate them; workers do not).
     */
    static boolean takesNewPods(Node node) {
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            return false;
        }
        return node.getStatus() == null || node.getStatus().getConditions() == null
                || node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                        .allMatch(c -> "True".equals(c.getStatus()));
    }

    /**
     * Whether the Pod's required node affinity lets it onto the node, as far as it names nodes: a term's
     * {@code matchFields} on {@code metadata.name} (how the operator pins its workers, as the DaemonSet
     * controller does); terms are alternatives, and label expressions are not simulated.
     */
    static boolean namedByAffinity(Pod pod, String node) {
        var affinity = pod.getSpec().getAffinity();
        var required = affinity == null || affinity.getNodeAffinity() == null ? null
                : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
            return true;
        }
        return required.getNodeSelectorTerms().stream().anyMatch(term -> term.getMatchFields() == null
                || term.getMatchFields().stream().filter(f -> "metadata.name".equals(f.getKey())).allMatch(f -> switch (f.getOperator()) {
                    case "In" -> f.getValues() != null && f.getValues().contains(node);
                    case "NotIn" -> f.getValues() == null || !f.getValues().contains(node);
                    default -> true;
                }));
    }

    private void setPending(Pod pod, String reason, String message) {
        PodCondition scheduled = new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                .withReason(reason).withMessage(message).build();
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> reason.equals(c.getReason()))) {
            return;
        }
        PodStatus status = new PodStatus();
        status.setPhase("Pending");
        status.setConditions(new ArrayList<>(List.of(scheduled)));
        patchStatus(pod, status);
    }

    private void markRunning(Pod pod, String nodeName, Instant now) {
        String time = now.toString();
        List<ContainerStatus> statuses = pod.getSpec().getContainers().stream()
                .map(c -> new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(true)
                        .withStarted(true).withRestartCount(0).withNewState().withNewRunning().withStartedAt(time)
                        .endRunning().endState().build())
                .toList();
        PodStatus status = new PodStatus();
        status.setPhase("Running");
        status.setStartTime(time);
        status.setHostIP("10.0.0.1");
        status.setPodIP(podIp(pod));
        status.setContainerStatuses(new ArrayList<>(statuses));
        status.setConditions(new ArrayList<>(List.of(
                condition("PodScheduled", time), condition("Initialized", time),
                condition("ContainersReady", time), condition("Ready", time))));
        patchStatus(pod, status);
        started.put(pod.getMetadata().getUid(), nodeName);
        lastSeen.put(pod.getMetadata().getUid(), now);
    }

    private void progress(Pod pod, Node node, Instant now) {
        String uid = pod.getMetadata().getUid();
        Instant previous = lastSeen.getOrDefault(uid, now);
        lastSeen.put(uid, now);
        String chip = chipOf(pod, node);
        double simulatedSeconds = Duration.between(previous, now).toMillis() / 1000.0 * settings.timeScale();
        double crashPerDay = settings.crashRatePerDay(chip);
        if (crashPerDay > 0 && simulatedSeconds > 0) {
            double p = 1 - Math.pow(1 - Math.min(crashPerDay, 1), simulatedSeconds / DAY_SECONDS);
            if (random.nextDouble() < p) {
                terminate(pod, "Failed", 1, "Error", "simulated crash of a " + chip + " worker", now);
                return;
            }
        }
        Instant started = pod.getStatus().getStartTime() == null ? now : Instant.parse(pod.getStatus().getStartTime());
        Duration runTime = runTimes.get(uid);
        if (runTime == null) {
            runTime = jobRunTime(pod).orElse(DEFAULT_RUN_TIME);
            if (runTime != DEFAULT_RUN_TIME) {
                // keep only a real estimate: the job's status may not carry one yet
                runTimes.put(uid, runTime);
            }
        }
        Duration realRunTime = Duration.ofMillis((long) (runTime.toMillis() / settings.timeScale()));
        if (!now.isBefore(started.plus(realRunTime))) {
            terminate(pod, "Succeeded", 0, "Completed", "training finished", now);
        }
    }

    /** The simulated run time of a worker: its job's total steps at the estimated speed, once estimated. */
    java.util.Optional<Duration> jobRunTime(Pod pod) {
        for (OwnerReference owner : pod.getMetadata().getOwnerReferences()) {
            if (!"TrainingJob".equals(owner.getKind())) {
                continue;
            }
            GenericKubernetesResource job = client.genericKubernetesResources(owner.getApiVersion(), owner.getKind())
                    .inNamespace(pod.getMetadata().getNamespace()).withName(owner.getName()).get();
            if (job == null) {
                continue;
            }
            Number steps = job.get("spec", "workload", "totalSteps");
            Number speed = job.get("status", "placement", "estimate", "stepsPerSecond");
            if (steps != null && speed != null && speed.doubleValue() > 0) {
                return java.util.Optional.of(Duration.ofMillis((long) (steps.doubleValue() / speed.doubleValue() * 1000)));
            }
        }
        return java.util.Optional.empty();
    }

    private String chipOf(Pod pod, Node node) {
        if (node != null && node.getMetadata().getLabels() != null) {
            String chip = node.getMetadata().getLabels().get(SampleFleet.CHIP_LABEL);
            if (chip != null) {
                return chip;
            }
        }
        return pod.getSpec().getContainers().stream().flatMap(c -> c.getEnv() == null ? java.util.stream.Stream.empty() : c.getEnv().stream())
                .filter(e -> "TESSERA_CHIP".equals(e.getName()) && e.getValue() != null)
                .map(e -> e.getValue()).findFirst().orElse("unknown");
    }

    private void terminate(Pod pod, String phase, int exitCode, String reason, String message, Instant now) {
        String time = now.toString();
        Pod p = new PodBuilder(pod).build();
        p.getStatus().setPhase(phase);
        p.getStatus().setReason("Failed".equals(phase) ? "Error" : null);
        p.getStatus().setMessage(message);
        List<ContainerStatus> statuses = new ArrayList<>();
        for (ContainerStatus s : p.getStatus().getContainerStatuses()) {
                        String startedAt = s.getState() != null && s.getState().getRunning() != null
                                ? s.getState().getRunning().getStartedAt() : time;
            statuses.add(new ContainerStatusBuilder(s).withReady(false).withStarted(false).withNewState()
                    .withNewTerminated().withExitCode(exitCode).withReason(reason).withMessage(message)
                    .withStartedAt(startedAt).withFinishedAt(time).endTerminated().endState().build());
        }
        p.getStatus().setContainerStatuses(statuses);
        p.getStatus().getConditions().forEach(c -> {
            if ("Ready".equals(c.getType()) || "ContainersReady".equals(c.getType())) {
                c.setStatus("False");
                c.setReason("PodCompleted");
            }
        });
        patchStatus(pod, p.getStatus());
        ended.add(pod.getMetadata().getUid());
        lastSeen.remove(pod.getMetadata().getUid());
        LOG.info(() -> "pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + " " + phase + ": " + message);
    }

    /** One merge patch of the status subresource: lists in it replace the Pod's, as a kubelet's status update does. */
    private void patchStatus(Pod pod, PodStatus status) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .subresource("status").patch(MERGE, Serialization.asJson(Map.of("status", status)));
    }

    private static PodCondition condition(String type, String time) {
        return new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(time).build();
    }

    private static String podIp(Pod pod) {
        int h = Math.abs(pod.getMetadata().getName().hashCode());
        return "10.244." + (h / 250 % 250) + "." + (h % 250 + 2);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.shutdownNow();
        }
        if (pods != null) {
            pods.close();
            nodes.close();
        }
    }
}
