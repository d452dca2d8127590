package dev.tessera.operator.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.tessera.operator.api.Conditions;
import dev.tessera.operator.api.Conditions.Reasons;
import dev.tessera.operator.api.Phase;
import dev.tessera.operator.api.PlacementStatus;
import dev.tessera.operator.api.ShardPlacement;
import dev.tessera.operator.api.TrainingJob;
import dev.tessera.operator.api.TrainingJobStatus;
import dev.tessera.operator.pools.NodePoolWatcher;
import dev.tessera.operator.scheduler.Catalog;
import dev.tessera.operator.scheduler.LedgerUnsyncedException;
import dev.tessera.operator.scheduler.PlacementRejectedException;
import dev.tessera.operator.scheduler.SchedulerClient;
import dev.tessera.operator.scheduler.SchedulerClient.PlacementResult;
import dev.tessera.operator.scheduler.SchedulerDtos.PlacementAnswer;
import dev.tessera.operator.scheduler.SchedulerDtos.ReasonDto;
import dev.tessera.operator.scheduler.SchedulerDtos.ReplacementRequest;
import dev.tessera.operator.scheduler.SchedulerUnavailableException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Reconciles a TrainingJob: validate, ask the scheduler for a placement, run one worker Pod per
 * node of each shard, follow the Pods into status, restart or move failing shards.
 * Level-triggered: every step compares what should exist with what does.
 */
// Resource versions are opaque by the API contract; comparing them breaks on servers that do not count up.
// Every event reaches reconcile, deletions included, and the reconciler keeps its finalizer itself (JobFinalizer):
// a new job is placed in the pass that adds the finalizer, not in a second pass queued behind every other job.
@ControllerConfiguration(name = "trainingjob", triggerReconcilerOnAllEvents = true,
        informer = @Informer(comparableResourceVersions = false))
@GradualRetry(maxAttempts = 1_000_000, initialInterval = 1000, intervalMultiplier = 2, maxInterval = 30_000)
public class TrainingJobReconciler implements Reconciler<TrainingJob> {
    private static final Logger LOG = Logger.getLogger(TrainingJobReconciler.class);
    /** How an InvalidSpec message for a worker the API server refused begins. */
    static final String API_REFUSED = "the API server refused worker ";

    private final SchedulerClient scheduler;
    private final LedgerSync ledgerSync;
    private final JobEvents events;
    private final JobMetrics jobMetrics;
    private final MeterRegistry metrics;
    private final Duration pendingRetry;
    private final Clock clock;
    private final KubernetesClient kubernetes;
    /**
     * Per job, its failed Pods already counted, so a stale cache never counts one failure twice. A Pod's
     * uid is kept while the cache still shows the Pod, and a job's entry goes with the job.
     */
    private final Map<String, Set<String>> countedFailures = new ConcurrentHashMap<>();
    private final Map<String, Integer> unavailableStreak = new ConcurrentHashMap<>();
    /** The resourceVersion of each job's last write by this reconciler: its status, or its finalizer. */
    private final Map<String, String> lastWritten = new ConcurrentHashMap<>();
    private final PlacementFirst placementFirst;
    private final NodePoolWatcher nodePools;
    /** The client's own mapping (with its Jackson modules), for the status copies and comparisons of each pass. */
    private final KubernetesSerialization json;

    @Inject
    public TrainingJobReconciler(KubernetesClient kubernetes, SchedulerClient scheduler, LedgerSync ledgerSync, JobEvents events,
            JobMetrics jobMetrics, MeterRegistry metrics, NodePoolWatcher nodePools,
            @ConfigProperty(name = "tessera.operator.pending-retry", defaultValue = "10s") Duration pendingRetry,
            @ConfigProperty(name = "tessera.operator.worker-start-deferral", defaultValue = "10s") Duration workerStartDeferral) {
        this.kubernetes = kubernetes;
        this.json = kubernetes.getKubernetesSerialization();
        this.scheduler = scheduler;
        this.ledgerSync = ledgerSync;
        this.events = events;
        this.jobMetrics = jobMetrics;
        this.metrics = metrics;
        this.pendingRetry = pendingRetry;
        this.nodePools = nodePools;
        this.clock = Clock.systemUTC();
        this.placementFirst = new PlacementFirst(workerStartDeferral, clock);
    }

    @Override
    public List<EventSource<?, TrainingJob>> prepareEventSources(EventSourceContext<TrainingJob> context) {
        var pods = InformerEventSourceConfiguration.from(Pod.class, TrainingJob.class)
                .withName("workers")
                .withComparableResourceVersion(false)
                .withLabelSelector(WorkerPods.LABEL_MANAGED_BY + "=" + WorkerPods.MANAGED_BY)
                .build();
        var services = InformerEventSourceConfiguration.from(Service.class, TrainingJob.class)
                .withName("rendezvous")
                .withComparableResourceVersion(false)
                .withLabelSelector(WorkerPods.LABEL_MANAGED_BY + "=" + WorkerPods.MANAGED_BY)
                .build();
        placementFirst.watch(() -> context.getPrimaryCache().list(), id -> context.getPrimaryCache().get(id));
        return List.of(new InformerEventSource<>(pods, context), new InformerEventSource<>(services, context), placementFirst,
                new StartupLedgerSync(ledgerSync));
    }

    @Override
    public UpdateControl<TrainingJob> reconcile(TrainingJob job, Context<TrainingJob> context) {
        Timer.Sample sample = Timer.start(metrics);
        try {
            return reconcileJob(job, context);
        } finally {
            sample.stop(metrics.timer("tessera.reconcile"));
        }
    }

    private UpdateControl<TrainingJob> reconcileJob(TrainingJob cached, Context<TrainingJob> context) {
        if (context.isPrimaryResourceDeleted()) {
            forget(cached);
            return UpdateControl.noUpdate();
        }
        if (cached.isMarkedForDeletion()) {
            if (JobFinalizer.present(cached)) {
                cleanup(cached, context);
            }
            return UpdateControl.noUpdate();
        }
        // Status is written by this reconciler outside UpdateControl, so the cache may lag behind it. When the
        // cache does not show this reconciler's last write, read the job itself, so restarts and pool failures
        // counted a moment ago are never lost.
        TrainingJob job = cached;
        String written = lastWritten.get(cached.getMetadata().getUid());
        if (written != null && !written.equals(cached.getMetadata().getResourceVersion())) {
            job = kubernetes.resources(TrainingJob.class).inNamespace(cached.getMetadata().getNamespace())
                    .withName(cached.getMetadata().getName()).get();
            if (job == null || !cached.getMetadata().getUid().equals(job.getMetadata().getUid())) {
                return UpdateControl.noUpdate();
            }
            lastWritten.put(job.getMetadata().getUid(), job.getMetadata().getResourceVersion());
        }
        // The finalizer is stored before the scheduler is asked for chips, so no placement outlives its job.
        String uid = job.getMetadata().getUid();
        String version = job.getMetadata().getResourceVersion();
        job = JobFinalizer.add(kubernetes, job, this::finalizerConflict);
        if (job == null) {
            return UpdateControl.noUpdate();
        }
        if (!job.getMetadata().getResourceVersion().equals(version)) {
            lastWritten.put(uid, job.getMetadata().getResourceVersion());
        }
        // JOSDK hands reconcile its own copy of the cached job, so it is changed here without another clone.
        try {
            UpdateControl<TrainingJob> control = reconcileOrThrow(job, context);
            unavailableStreak.remove(job.getMetadata().getUid());
            return control;
        } catch (SchedulerUnavailableException e) {
            // A scheduler outage is expected and may last: record it in status and look again with backoff.
            int streak = unavailableStreak.merge(job.getMetadata().getUid(), 1, Integer::sum);
            Duration backoff = Duration.ofMillis(Math.min(30_000L, 1000L << Math.min(streak - 1, 5)));
            TrainingJobStatus before = json.clone(job.getStatus() == null ? new TrainingJobStatus() : job.getStatus());
            if (job.getStatus() == null || job.getStatus().getPlacement() == null) {
                TrainingJobStatus status = job.getStatus() == null ? new TrainingJobStatus() : job.getStatus();
                job.setStatus(status);
                status.setPhase(Phase.Pending);
                Conditions.set(status.getConditions(), Conditions.PLACED, false, Reasons.SCHEDULER_UNAVAILABLE,
                        e.getMessage(), job.getMetadata().getGeneration(), clock.instant());
                summarize(job, status, 0);
            } else {
                LOG.warnf("%s/%s: %s; workers keep running", job.getMetadata().getNamespace(), job.getMetadata().getName(),
                        e.getMessage());
            }
            return finish(job, before, backoff);
        }
    }

    private UpdateControl<TrainingJob> reconcileOrThrow(TrainingJob job, Context<TrainingJob> context) {
        Instant now = clock.instant();
        TrainingJobStatus before = json.clone(job.getStatus() == null ? new TrainingJobStatus() : job.getStatus());
        TrainingJobStatus status = job.getStatus() == null ? new TrainingJobStatus() : job.getStatus();
        job.setStatus(status);
        Long generation = job.getMetadata().getGeneration();
        KubernetesClient client = context.getClient();
        Map<String, Pod> pods = context.getSecondaryResources(Pod.class).stream()
                .filter(p -> job.getMetadata().getUid().equals(label(p, WorkerPods.LABEL_JOB_UID)))
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p, (a, b) -> a));
        Set<String> cachedPods = pods.values().stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
        Duration reschedule = null;

        if (status.getPhase() != null && status.getPhase().isTerminal()) {
            return finish(job, before, null);
        }

        // 1. Validate what the CRD cannot.
        Catalog catalog = scheduler.catalog();
        List<String> problems = new ArrayList<>(SpecValidator.validateName(job.getMetadata().getName(), job.getSpec()));
        problems.addAll(SpecValidator.validate(job.getSpec(), catalog));
        if (problems.isEmpty()) {
            // the API refused a worker made from this very spec: it would refuse the next one too
            Conditions.find(status.getConditions(), Conditions.PLACED)
                    .filter(c -> Reasons.INVALID_SPEC.equals(c.getReason()) && Objects.equals(c.getObservedGeneration(), generation)
                            && c.getMessage() != null && c.getMessage().startsWith(API_REFUSED))
                    .ifPresent(c -> problems.add(c.getMessage()));
        }
        if (!problems.isEmpty()) {
            // the first pass that finds the spec invalid releases even without a recorded placement: one booked
            // by a pass whose status write was lost is held in the scheduler all the same. Released before the
            // workers stop: with the scheduler unreachable nothing changes, and the status still tells the truth
            boolean firstInvalidPass = Conditions.find(status.getConditions(), Conditions.PLACED)
                    .map(c -> !Reasons.INVALID_SPEC.equals(c.getReason())).orElse(true);
            releasePlacement(job, status, firstInvalidPass);
            stopWorkers(client, job, pods.values());
            String message = String.join("; ", problems);
            status.setPhase(Phase.Pending);
            boolean changed = Conditions.set(status.getConditions(), Conditions.PLACED, false, Reasons.INVALID_SPEC,
                    message, generation, now);
            Conditions.set(status.getConditions(), Conditions.RUNNING, false, Reasons.INVALID_SPEC, message, generation, now);
            if (changed) {
                events.warning(job, Reasons.INVALID_SPEC, message);
            }
            summarize(job, status, 0);
            return finish(job, before, null);
        }

        // 2. Suspend releases the chips and keeps the job.
        if (job.getSpec().isSuspend()) {
            // as for an invalid spec: the first suspended pass releases whatever the scheduler may hold, and
            // before the workers stop, so an unreachable scheduler leaves the job running as its status says
            releasePlacement(job, status, !Conditions.isTrue(status.getConditions(), Conditions.SUSPENDED));
            stopWorkers(client, job, pods.values());
            status.setPhase(Phase.Suspended);
            if (Conditions.set(status.getConditions(), Conditions.SUSPENDED, true, Reasons.SUSPENDED,
                    "spec.suspend is true: workers stopped, chips released", generation, now)) {
                events.normal(job, Reasons.SUSPENDED, "workers stopped, chips released");
            }
            Conditions.set(status.getConditions(), Conditions.PLACED, false, Reasons.SUSPENDED, "suspended", generation, now);
            Conditions.set(status.getConditions(), Conditions.RUNNING, false, Reasons.SUSPENDED, "suspended", generation, now);
            summarize(job, status, 0);
            return finish(job, before, null);
        }
        if (Conditions.isTrue(status.getConditions(), Conditions.SUSPENDED)) {
            Conditions.set(status.getConditions(), Conditions.SUSPENDED, false, Reasons.RESUMED,
                    "spec.suspend is false: placing again", generation, now);
        }

        // 3. A spec change that alters the placement re-places the job.
        String signature = PlacementMapping.signature(job.getSpec());
        if (status.getPlacement() != null && !signature.equals(status.getPlacementSignature())) {
            LOG.infof("%s/%s: spec changed, placing again", job.getMetadata().getNamespace(), job.getMetadata().getName());
            releasePlacement(job, status); // first, as above
            stopWorkers(client, job, pods.values());
            pods.clear();
        }

        // A job placed a moment ago and still held back by placement first, reconciled again by a late event of its
        // own: its placement stands, and the scheduler is asked again once its workers may start.
        if (status.getPlacement() != null && pods.isEmpty() && signature.equals(status.getPlacementSignature())
                && Conditions.isTrue(status.getConditions(), Conditions.PLACED) && placementFirst.holdsBack(job)) {
            return finish(job, before, null);
        }

        // 4. Ask the scheduler; the same jobId answers the placement it already holds.
        PlacementResult result;
        try {
            result = placeSyncingIfNeeded(job);
        } catch (PlacementRejectedException e) {
            stopWorkers(client, job, pods.values());
            status.setPlacement(null);
            status.setPhase(Phase.Pending);
            if (Conditions.set(status.getConditions(), Conditions.PLACED, false, Reasons.INVALID_SPEC, e.getMessage(),
                    generation, now)) {
                events.warning(job, Reasons.INVALID_SPEC, e.getMessage());
            }
            summarize(job, status, 0);
            return finish(job, before, null);
        }
        if (result instanceof SchedulerClient.Pending pending) {
            boolean lostChips = status.getPlacement() != null;
            stopWorkers(client, job, pods.values());
            status.setPlacement(null);
            status.setPlacementSignature(null);
            status.setPhase(Phase.Pending);
            ReasonDto reason = pendingReason(pending.answer(), lostChips);
            if (Conditions.set(status.getConditions(), Conditions.PLACED, false, reason.reason(), reason.message(),
                    generation, now) && lostChips) {
                events.warning(job, reason.reason(), reason.message());
            }
            Conditions.set(status.getConditions(), Conditions.RUNNING, false, Reasons.NOT_PLACED, "not placed",
                    generation, now);
            Conditions.set(status.getConditions(), Conditions.DEGRADED, false, Reasons.NOT_PLACED, "not placed",
                    generation, now);
            summarize(job, status, 0);
            return finish(job, before, pendingRetry);
        }
        PlacementAnswer answer = result.answer();
        ledgerSync.placed(job.getMetadata().getUid());
        String stale = PlacementMapping.mismatch(answer, job.getSpec());
        if (stale != null) {
            // booked for an earlier spec: let it go, and the next pass asks for this one
            LOG.infof("%s/%s: the scheduler held a placement made for an earlier spec (%s): releasing it, placing again",
                    job.getMetadata().getNamespace(), job.getMetadata().getName(), stale);
            stopWorkers(client, job, pods.values());
            releasePlacement(job, status, true);
            return finish(job, before, Duration.ofSeconds(1));
        }
        boolean newlyPlaced = status.getPlacement() == null;
        PlacementStatus placement = PlacementMapping.toStatus(answer, job.getSpec(), now);
        boolean unchanged = !newlyPlaced && samePlacement(status.getPlacement(), placement);
        if (unchanged && status.getPlacement().getEstimate() != null && placement.getEstimate() != null) {
            // Keep the completion estimate made when the job was placed rather than sliding it every reconcile.
            placement.getEstimate().setCompletionTime(status.getPlacement().getEstimate().getCompletionTime());
        }
        status.setPlacement(placement);
        status.setPlacementSignature(signature);
        if (Conditions.set(status.getConditions(), Conditions.PLACED, true, Reasons.PLACED,
                PlacementMapping.describe(placement), generation, now) && !unchanged) {
            events.normal(job, Reasons.PLACED, PlacementMapping.describe(placement));
        }
        // The scheduler answers the same request with the same placement, preemptions included: they were acted
        // on when the placement was new. Acting again would stop the workers of a victim placed again since.
        if (!unchanged && answer.preempted() != null && !answer.preempted().isEmpty()) {
            preempt(client, context, job, answer.preempted());
        }

        // The placement is on record before any worker starts, so a restarted scheduler can be re-told it.
        boolean noWorkersYet = pods.isEmpty();
        if (noWorkersYet) {
            summarize(job, status, 0);
        }
        before = persist(job, before);
        if (noWorkersYet && placementFirst.deferWorkers(job)) {
            // Other new jobs wait for their first decision: they are placed before this job's workers start.
            metrics.counter("tessera.workers.deferred").increment();
            return finish(job, before, null);
        }

        // 5. Workers and the rendezvous Service.
        List<String> inTheWay = new ArrayList<>();
        String serviceConflict = ensureService(client, job, context);
        if (serviceConflict != null) {
            inTheWay.add(serviceConflict);
        }
        Map<String, String> resources = new HashMap<>();
        placement.getShards().forEach(s -> resources.put(s.getChip(), catalog.resourceName(s.getChip()).orElse("nvidia.com/gpu")));
        Map<String, Pod> desired = WorkerPods.desired(job, placement, resources);

        // 6. Follow the workers: failures counted once, stale workers removed, missing ones created.
        long oldTemplate = staleTemplate(pods.values(), WorkerPods.templateHash(job));
        if (oldTemplate > 0) {
            events.normal(job, Reasons.TEMPLATE_CHANGED, "spec.template changed: replacing " + oldTemplate + " of " + pods.size()
                    + " workers, the whole gang on the new template");
        }
        List<Pod> failed = new ArrayList<>();
        for (Pod pod : pods.values()) {
            Pod want = desired.get(pod.getMetadata().getName());
            if (want == null || !sameSlot(pod, want)) {
                delete(client, pod);
            } else if ("Failed".equals(phase(pod))) {
                failed.add(pod);
            }
        }
        Set<String> avoid = new TreeSet<>();
        List<Pod> newlyFailed = new ArrayList<>();
        Set<String> counted = countedFailures.computeIfAbsent(job.getMetadata().getUid(), uid -> ConcurrentHashMap.newKeySet());
        counted.retainAll(cachedPods); // a Pod the cache no longer shows cannot be counted again
        for (Pod pod : failed) {
            if (counted.add(pod.getMetadata().getUid())) {
                newlyFailed.add(pod);
                String pool = label(pod, WorkerPods.LABEL_POOL);
                status.setRestarts((status.getRestarts() == null ? 0 : status.getRestarts()) + 1);
                status.getPoolFailures().merge(pool, 1, Integer::sum);
            }
        }
        if (!newlyFailed.isEmpty()) {
            // The count is stored before the failed Pods are deleted: if the write fails (a conflicting change
            // answers 409), the Pods are still there for the retry to count, so no restart is ever lost.
            try {
                before = persist(job, before);
            } catch (RuntimeException e) {
                newlyFailed.forEach(p -> counted.remove(p.getMetadata().getUid()));
                throw e;
            }
            for (Pod pod : newlyFailed) {
                events.warning(job, Reasons.WORKER_RESTARTING, "worker " + pod.getMetadata().getName() + " failed on pool "
                        + label(pod, WorkerPods.LABEL_POOL) + " (" + failureMessage(pod) + ")");
            }
        }
        failed.forEach(pod -> delete(client, pod));
        int restarts = status.getRestarts() == null ? 0 : status.getRestarts();
        if (restarts > job.getSpec().getFailurePolicy().getMaxRestarts()) {
            return fail(job, before, status, client, pods, Reasons.RESTARTS_EXHAUSTED, "worker restarts (" + restarts
                    + ") exceeded failurePolicy.maxRestarts (" + job.getSpec().getFailurePolicy().getMaxRestarts() + ")", now);
        }
        status.getPoolFailures().forEach((pool, n) -> {
            if (n >= job.getSpec().getFailurePolicy().getAvoidPoolAfter()) {
                avoid.add(pool);
            }
        });
        // A worker that is to start (missing, or not yet bound to its node) on a node that is gone or takes no
        // new Pods (cordoned, not Ready) would wait for it for ever, pinned there: its shard moves.
        Map<Integer, Set<String>> lostNodes = new HashMap<>();
        for (Pod want : desired.values()) {
            Pod have = pods.get(want.getMetadata().getName());
            String node = annotation(want, WorkerPods.ANNOTATION_NODE);
            if ((have == null || have.getSpec() == null || have.getSpec().getNodeName() == null)
                    && !nodePools.schedulable(node)) {
                lostNodes.computeIfAbsent(Integer.parseInt(label(want, WorkerPods.LABEL_SHARD)), i -> new TreeSet<>()).add(node);
            }
        }
        if (!lostNodes.isEmpty()) {
            nodePools.pushNow(); // the scheduler places the shard on the nodes there are now
        }
        boolean moved = false;
        for (ShardPlacement shard : List.copyOf(placement.getShards())) {
            Set<String> lost = lostNodes.get(shard.getIndex());
            String node = lost == null ? null : String.join(", ", lost);
            if (!avoid.contains(shard.getPool()) && node == null) {
                continue;
            }
            String reason = node == null ? Reasons.POOL_UNHEALTHY : Reasons.NODE_UNAVAILABLE;
            String from = shard.getPool();
            String why = node == null ? "off pool " + from + " after " + status.getPoolFailures().get(from) + " failures"
                    : "off node" + (lost.size() == 1 ? " " : "s ") + node + " (gone, or taking no new Pods)";
            try {
                PlacementAnswer replaced = scheduler.replace(job.getMetadata().getUid(),
                        new ReplacementRequest(shard.getIndex(), List.copyOf(avoid),
                                avoid.contains(shard.getPool()) || lost == null ? List.of() : List.copyOf(lost)));
                placement = PlacementMapping.toStatus(replaced, job.getSpec(), now);
                status.setPlacement(placement);
                ShardPlacement to = placement.getShards().stream().filter(s -> s.getIndex() == shard.getIndex())
                        .findFirst().orElse(null);
                String msg = "shard " + shard.getIndex() + " moved " + why + (to == null ? "" : node == null ? " to " + to.getPool()
                        : " to pool " + to.getPool() + ", " + (to.getNodes().size() == 1 ? "node " : "nodes ")
                                + String.join(", ", to.getNodes()));
                Conditions.set(status.getConditions(), Conditions.DEGRADED, true, reason, msg, generation, now);
                events.warning(job, reason, msg);
                moved = true;
            } catch (PlacementRejectedException e) {
                String stuck = "shard " + shard.getIndex() + " cannot move " + why + ": " + e.getMessage();
                if (Conditions.set(status.getConditions(), Conditions.DEGRADED, true, reason, stuck, generation, now)) {
                    events.warning(job, reason, stuck);
                }
                if (node != null) {
                    reschedule = Duration.ofSeconds(30); // room may come; node changes of other pools wake no job
                }
            }
        }
        if (moved) {
            desired = WorkerPods.desired(job, placement, resources);
            Conditions.set(status.getConditions(), Conditions.PLACED, true, Reasons.PLACED,
                    PlacementMapping.describe(placement), generation, now);
            // As for a new placement: on record before a worker starts on the new pool, so a scheduler that
            // restarts now is re-told where the shard runs, not the pool it left.
            before = persist(job, before);
            for (Pod pod : pods.values()) {
                Pod want = desired.get(pod.getMetadata().getName());
                if (want == null || !sameSlot(pod, want)) {
                    delete(client, pod);
                }
            }
        }
        Set<String> failedNames = failed.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        for (Pod want : desired.values()) {
            Pod have = pods.get(want.getMetadata().getName());
            if (have == null) {
                String conflict;
                try {
                    conflict = create(client, job, want);
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 422 && e.getCode() != 400) {
                        throw e;
                    }
                    // The API server refuses a Pod made from the spec (a check of its own the operator does not
                    // repeat): a spec error like any other. The chips go back, and the job waits for a new spec.
                    String message = API_REFUSED + want.getMetadata().getName() + ": "
                            + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage());
                    releasePlacement(job, status, true);
                    stopWorkers(client, job, pods.values());
                    status.setPhase(Phase.Pending);
                    Conditions.set(status.getConditions(), Conditions.PLACED, false, Reasons.INVALID_SPEC, message, generation, now);
                    Conditions.set(status.getConditions(), Conditions.RUNNING, false, Reasons.INVALID_SPEC, message, generation, now);
                    events.warning(job, Reasons.INVALID_SPEC, message);
                    summarize(job, status, 0);
                    return finish(job, before, null);
                }
                if (conflict != null) {
                    inTheWay.add(conflict);
                }
            } else if (failedNames.contains(want.getMetadata().getName()) || !sameSlot(have, want)) {
                // Recreated once the old Pod is gone; its deletion event triggers the next reconcile.
                reschedule = Duration.ofSeconds(2);
            }
        }

        // 7. Status from what runs.
        int running = 0;
        int succeeded = 0;
        Map<String, Pod> want = desired;
        for (ShardPlacement shard : placement.getShards()) {
            List<Pod> shardPods = want.values().stream()
                    .filter(p -> Integer.toString(shard.getIndex()).equals(label(p, WorkerPods.LABEL_SHARD)))
                    .map(p -> pods.get(p.getMetadata().getName()))
                    .toList();
            if (shardPods.stream().allMatch(p -> p != null && "Succeeded".equals(phase(p)))) {
                succeeded++;
            } else if (shardPods.stream().allMatch(p -> p != null && sameSlot(p, want.get(p.getMetadata().getName()))
                    && ("Running".equals(phase(p)) || "Succeeded".equals(phase(p))))) {
                // a shard whose workers run, or have finished while the others of the shard still run
                running++;
            }
        }
        int placed = placement.getShards().size();
        if (placed > 0 && succeeded == placed) {
            releasePlacement(job, status);
            status.setPlacement(placement);
            status.setPhase(Phase.Succeeded);
            status.setCompletionTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
            Conditions.set(status.getConditions(), Conditions.COMPLETE, true, Reasons.ALL_WORKERS_SUCCEEDED,
                    "all " + desired.size() + " workers succeeded", generation, now);
            Conditions.set(status.getConditions(), Conditions.RUNNING, false, Reasons.FINISHED, "finished", generation, now);
            // the placement stays in status as the record of where the job ran; the chips are free
            Conditions.set(status.getConditions(), Conditions.PLACED, false, Reasons.FINISHED,
                    "chips released: the job finished on " + PlacementMapping.describe(placement), generation, now);
            events.normal(job, Reasons.ALL_WORKERS_SUCCEEDED, "training finished");
            summarize(job, status, 0);
            return finish(job, before, null);
        }
        String shardsRunning = running + " of " + placed + " placed shards running"
                + (succeeded > 0 ? ", " + succeeded + " finished" : "");
        if (running + succeeded == placed && inTheWay.isEmpty()) {
            // shards that finished first leave the job running until the last one does
            status.setPhase(Phase.Running);
            if (status.getStartTime() == null) {
                status.setStartTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
            }
            Conditions.set(status.getConditions(), Conditions.RUNNING, true, Reasons.ALL_SHARDS_RUNNING, shardsRunning,
                    generation, now);
        } else if (!inTheWay.isEmpty()) {
            status.setPhase(Phase.Placed);
            String conflicts = String.join("; ", inTheWay);
            if (Conditions.set(status.getConditions(), Conditions.RUNNING, false, Reasons.NAME_CONFLICT,
                    conflicts + " (" + shardsRunning + ")", generation, now)) {
                events.warning(job, Reasons.NAME_CONFLICT, conflicts);
            }
            // Not watched (it is no object of this job's), so its removal triggers nothing: look again in a while.
            reschedule = reschedule == null ? Duration.ofSeconds(15) : reschedule;
        } else {
            status.setPhase(Phase.Placed);
            Conditions.set(status.getConditions(), Conditions.RUNNING, false,
                    failed.isEmpty() ? Reasons.WORKERS_STARTING : Reasons.WORKER_RESTARTING, shardsRunning, generation, now);
        }
        int runningShards = running + succeeded;
        if (!moved && !avoidedPoolsInUse(placement, avoid)) {
            if (placed < job.getSpec().getShards()) {
                Conditions.set(status.getConditions(), Conditions.DEGRADED, true, Reasons.FEWER_SHARDS,
                        placed + " of " + job.getSpec().getShards() + " shards placed", generation, now);
            } else if (!Conditions.find(status.getConditions(), Conditions.DEGRADED)
                    .map(c -> (Reasons.POOL_UNHEALTHY.equals(c.getReason()) || Reasons.NODE_UNAVAILABLE.equals(c.getReason()))
                            && "True".equals(c.getStatus()) && runningShards < placed)
                    .orElse(false)) {
                Conditions.set(status.getConditions(), Conditions.DEGRADED, false, Reasons.ALL_SHARDS_PLACED,
                        "all " + placed + " shards placed", generation, now);
            }
        }
        summarize(job, status, running);
        return finish(job, before, reschedule);
    }

    private PlacementResult placeSyncingIfNeeded(TrainingJob job) {
        try {
            return scheduler.place(PlacementMapping.request(job));
        } catch (LedgerUnsyncedException e) {
            // The scheduler restarted: re-tell it every bound placement, then ask again.
            ledgerSync.syncNow();
            try {
                return scheduler.place(PlacementMapping.request(job));
            } catch (LedgerUnsyncedException again) {
                // the sync this pass waited for reached a scheduler that restarted since: this pass sends the next
                ledgerSync.syncNow();
                return scheduler.place(PlacementMapping.request(job));
            }
        }
    }

    private static ReasonDto pendingReason(PlacementAnswer answer, boolean lostChips) {
        if (lostChips) {
            return new ReasonDto(Reasons.PREEMPTED, "the job's chips were taken by a higher-priority job; waiting to be placed again");
        }
        List<ReasonDto> reasons = answer.reasons() == null ? List.of() : answer.reasons();
        ReasonDto first = reasons.stream().filter(r -> Reasons.WAITING_FOR_DELIVERY.equals(r.reason())).findFirst()
                .orElse(reasons.isEmpty() ? new ReasonDto(Reasons.INSUFFICIENT_CAPACITY, "no capacity") : reasons.get(0));
        // the scheduler's reasons are sentences: one after another, each ending with its own stop
        String message = reasons.stream().map(ReasonDto::message).filter(Objects::nonNull).map(String::strip)
                .filter(m -> !m.isEmpty()).map(m -> m.endsWith(".") ? m : m + ".").collect(Collectors.joining(" "));
        if (answer.earliestStart() != null) {
            message = (message.isEmpty() ? "" : message + " ") + "Earliest start " + answer.earliestStart() + ".";
        }
        return new ReasonDto(first.reason() == null ? Reasons.INSUFFICIENT_CAPACITY : first.reason(),
                message.isEmpty() ? first.reason() : message);
    }

    private void preempt(KubernetesClient client, Context<TrainingJob> context, TrainingJob by, List<String> jobIds) {
        for (String uid : jobIds) {
            context.getPrimaryCache().list().filter(j -> uid.equals(j.getMetadata().getUid())).findFirst().ifPresent(victim -> {
                events.warning(victim, Reasons.PREEMPTED, "preempted by " + by.getMetadata().getNamespace() + "/"
                        + by.getMetadata().getName() + " (priority " + by.getSpec().getPriority() + ")");
                // Deleting the victim's workers triggers its own reconcile, which finds its placement gone.
                deleteWorkersOf(client, victim.getMetadata().getNamespace(), uid);
            });
        }
    }

    private UpdateControl<TrainingJob> fail(TrainingJob job, TrainingJobStatus before, TrainingJobStatus status,
            KubernetesClient client, Map<String, Pod> pods, String reason, String message, Instant now) {
        stopWorkers(client, job, pods.values());
        releasePlacement(job, status);
        status.setPhase(Phase.Failed);
        status.setCompletionTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
        Long generation = job.getMetadata().getGeneration();
        Conditions.set(status.getConditions(), Conditions.FAILED, true, reason, message, generation, now);
        Conditions.set(status.getConditions(), Conditions.RUNNING, false, reason, message, generation, now);
        Conditions.set(status.getConditions(), Conditions.PLACED, false, reason, "chips released: the job failed", generation, now);
        events.warning(job, reason, message);
        summarize(job, status, 0);
        return finish(job, before, null);
    }

    private UpdateControl<TrainingJob> finish(TrainingJob job, TrainingJobStatus before, Duration reschedule) {
        TrainingJobStatus status = job.getStatus();
        jobMetrics.record(job.getMetadata().getUid(), status.getPhase());
        boolean changed = persist(job, before) != before;
        UpdateControl<TrainingJob> control = UpdateControl.noUpdate();
        LOG.debugf("%s/%s: phase %s, %s, next look %s", job.getMetadata().getNamespace(), job.getMetadata().getName(),
                status.getPhase(), changed ? "status patched" : "status unchanged",
                reschedule == null ? "on the next event" : "in " + reschedule);
        return reschedule == null ? control : control.rescheduleAfter(reschedule);
    }

    /**
     * Writes the status when it differs from {@code before} and returns what is now stored: {@code before}
     * itself when nothing was written. Written here rather than through UpdateControl: JOSDK then holds further events for the job until its cache shows
     * that exact resource version, which API servers that renumber never deliver.
     */
    private TrainingJobStatus persist(TrainingJob job, TrainingJobStatus before) {
        // Every write is made from this generation's spec, so the first write of a pass already says so:
        // setting it later would cost a second write for the same decision.
        job.getStatus().setObservedGeneration(job.getMetadata().getGeneration());
        String wanted = json.asJson(job.getStatus());
        if (wanted.equals(json.asJson(before))) {
            return before;
        }
        // One PUT guarded by the resourceVersion read at the start: a concurrent change answers 409. When that
        // change left the status and the spec as this pass found them (a finalizer added, a label), the write is
        // made again at once on the stored version; otherwise the reconcile is retried from the stored job, so no
        // update is lost either way.
        TrainingJob stored;
        try {
            stored = writeStatus(job);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            metrics.counter("tessera.status.conflicts").increment();
            TrainingJob current = kubernetes.resources(TrainingJob.class).inNamespace(job.getMetadata().getNamespace())
                    .withName(job.getMetadata().getName()).get();
            if (current == null || !job.getMetadata().getUid().equals(current.getMetadata().getUid())
                    || !Objects.equals(job.getMetadata().getGeneration(), current.getMetadata().getGeneration())
                    || !json.asJson(current.getStatus() == null ? new TrainingJobStatus() : current.getStatus())
                            .equals(json.asJson(before))) {
                LOG.debugf("%s/%s: status write met a concurrent change (409); retrying from the stored job",
                        job.getMetadata().getNamespace(), job.getMetadata().getName());
                throw e;
            }
            job.setMetadata(current.getMetadata());
            stored = writeStatus(job);
        }
        job.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
        lastWritten.put(job.getMetadata().getUid(), stored.getMetadata().getResourceVersion());
        return json.unmarshal(wanted, TrainingJobStatus.class);
    }

    private TrainingJob writeStatus(TrainingJob job) {
        return kubernetes.resources(TrainingJob.class).inNamespace(job.getMetadata().getNamespace()).resource(job).updateStatus();
    }

    private static void summarize(TrainingJob job, TrainingJobStatus status, int running) {
        status.setShardsRunning(running);
        status.setShardsSummary(running + "/" + job.getSpec().getShards());
        var summary = status.getSummary() == null ? new dev.tessera.operator.api.StatusSummary() : status.getSummary();
        summary.setChips(PlacementMapping.chipsSummary(status.getPlacement()));
        Double h100 = status.getPlacement() == null || status.getPlacement().getEstimate() == null ? null
                : status.getPlacement().getEstimate().getH100Equivalent();
        // One decimal is what a reader of `kubectl get tj` can use; the placement keeps the full figure.
        summary.setH100Equivalent(h100 == null ? null : Math.round(h100 * 10) / 10.0);
        summary.setSubmitted(job.getMetadata().getCreationTimestamp());
        status.setSummary(summary);
        if (status.getRestarts() == null) {
            status.setRestarts(0);
        }
    }

    private static boolean avoidedPoolsInUse(PlacementStatus placement, Set<String> avoid) {
        return placement.getShards().stream().anyMatch(s -> avoid.contains(s.getPool()));
    }

    private boolean samePlacement(PlacementStatus a, PlacementStatus b) {
        return json.asJson(a.getShards()).equals(json.asJson(b.getShards()));
    }

    /**
     * Same pool, shard and planned node, made from the same template: the Pod still serves the placement. A
     * worker without a template digest (made by an operator before digests) is taken to match, so an upgrade
     * of the operator restarts no job.
     */
    static boolean sameSlot(Pod have, Pod want) {
        String template = annotation(have, WorkerPods.ANNOTATION_TEMPLATE);
        return Objects.equals(label(have, WorkerPods.LABEL_POOL), label(want, WorkerPods.LABEL_POOL))
                && Objects.equals(label(have, WorkerPods.LABEL_SHARD), label(want, WorkerPods.LABEL_SHARD))
                && Objects.equals(annotation(have, WorkerPods.ANNOTATION_NODE), annotation(want, WorkerPods.ANNOTATION_NODE))
                && (template == null || template.equals(annotation(want, WorkerPods.ANNOTATION_TEMPLATE)))
                && WorkerPods.GANG_ENV.stream().allMatch(name -> Objects.equals(WorkerPods.env(have, name), WorkerPods.env(want, name)));
    }

    /** Workers made from a template other than the job's: they are replaced, all of them. */
    private static long staleTemplate(java.util.Collection<Pod> pods, String hash) {
        return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> annotation(p, WorkerPods.ANNOTATION_TEMPLATE))
                .filter(t -> t != null && !t.equals(hash)).count();
    }

    private void releasePlacement(TrainingJob job, TrainingJobStatus status) {
        releasePlacement(job, status, false);
    }

    /** Releases the recorded placement, or with {@code evenIfNoneRecorded} whatever the scheduler holds for the job. */
    private void releasePlacement(TrainingJob job, TrainingJobStatus status, boolean evenIfNoneRecorded) {
        if (evenIfNoneRecorded || status.getPlacement() != null || status.getPlacementSignature() != null) {
            ledgerSync.release(job.getMetadata().getUid());
        }
        status.setPlacement(null);
        status.setPlacementSignature(null);
    }

    /** Creates the rendezvous Service when missing; what stands in its way when another object has its name, else null. */
    private String ensureService(KubernetesClient client, TrainingJob job, Context<TrainingJob> context) {
        boolean present = context.getSecondaryResources(Service.class).stream()
                .anyMatch(s -> job.getMetadata().getUid().equals(label(s, WorkerPods.LABEL_JOB_UID)));
        if (!present) {
            Service want = WorkerPods.rendezvous(job);
            try {
                client.services().inNamespace(job.getMetadata().getNamespace()).resource(want).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                return foreign(client.services().inNamespace(job.getMetadata().getNamespace())
                        .withName(want.getMetadata().getName()).get(), job, "Service");
            }
        }
        return null;
    }

    /**
     * Creates a worker. A 409 is a worker an earlier pass created whose event has not reached the cache yet,
     * or another object that has the worker's name: what stands in the way is returned then, else null.
     */
    private static String create(KubernetesClient client, TrainingJob job, Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return foreign(client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get(),
                    job, "Pod");
        }
        return null;
    }

    /** Null when {@code found} is gone or this job's own; else a sentence naming it. */
    private static String foreign(io.fabric8.kubernetes.api.model.HasMetadata found, TrainingJob job, String kind) {
        if (found == null || job.getMetadata().getUid().equals(label(found, WorkerPods.LABEL_JOB_UID))) {
            return null;
        }
        return kind + " " + found.getMetadata().getNamespace() + "/" + found.getMetadata().getName()
                + " is not this job's and has the name its " + ("Pod".equals(kind) ? "worker" : "rendezvous Service")
                + " needs: delete or rename it";
    }

    private static void delete(KubernetesClient client, Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() == null) {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        }
    }

    /**
     * Deletes every worker of a job, listed from the API, one by one: a delete by label selector is the
     * {@code deletecollection} verb, which the operator's role does not grant.
     */
    private static void deleteWorkersOf(KubernetesClient client, String namespace, String jobUid) {
        for (Pod pod : client.pods().inNamespace(namespace).withLabel(WorkerPods.LABEL_JOB_UID, jobUid).list().getItems()) {
            delete(client, pod);
        }
    }

    private static void stopWorkers(KubernetesClient client, TrainingJob job, java.util.Collection<Pod> pods) {
        pods.forEach(p -> delete(client, p));
    }

    /** A deleted job: its chips released first (if that fails, it keeps the finalizer and is retried), then its workers. */
    private void cleanup(TrainingJob job, Context<TrainingJob> context) {
        ledgerSync.release(job.getMetadata().getUid());
        deleteWorkersOf(context.getClient(), job.getMetadata().getNamespace(), job.getMetadata().getUid());
        forget(job);
        JobFinalizer.remove(kubernetes, job, this::finalizerConflict);
    }

    private void finalizerConflict() {
        metrics.counter("tessera.finalizer.conflicts").increment();
    }

    private void forget(TrainingJob job) {
        jobMetrics.forget(job.getMetadata().getUid());
        placementFirst.forget(ResourceID.fromResource(job));
        lastWritten.remove(job.getMetadata().getUid());
        unavailableStreak.remove(job.getMetadata().getUid());
        countedFailures.remove(job.getMetadata().getUid());
        ledgerSync.forget(job.getMetadata().getUid());
    }

    /** Jobs whose counted failures are remembered: for tests. */
    int jobsWithCountedFailures() {
        return countedFailures.size();
    }

    @Override
    public ErrorStatusUpdateControl<TrainingJob> updateErrorStatus(TrainingJob job, Context<TrainingJob> context, Exception e) {
        if (job.isMarkedForDeletion() || context.isPrimaryResourceDeleted()) {
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        if (e instanceof SchedulerUnavailableException) {
            TrainingJobStatus status = job.getStatus() == null ? new TrainingJobStatus() : job.getStatus();
            job.setStatus(status);
            if (status.getPlacement() == null) {
                status.setPhase(Phase.Pending);
                Conditions.set(status.getConditions(), Conditions.PLACED, false, Reasons.SCHEDULER_UNAVAILABLE,
                        e.getMessage(), job.getMetadata().getGeneration(), clock.instant());
                status.setObservedGeneration(job.getMetadata().getGeneration());
                summarize(job, status, 0);
                jobMetrics.record(job.getMetadata().getUid(), status.getPhase());
                return ErrorStatusUpdateControl.patchStatus(job);
            }
            LOG.warnf("%s/%s: %s; workers keep running, retrying", job.getMetadata().getNamespace(),
                    job.getMetadata().getName(), e.getMessage());
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    static String label(io.fabric8.kubernetes.api.model.HasMetadata r, String key) {
        return r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(key);
    }

    static String annotation(io.fabric8.kubernetes.api.model.HasMetadata r, String key) {
        return r.getMetadata().getAnnotations() == null ? null : r.getMetadata().getAnnotations().get(key);
    }

    static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static String failureMessage(Pod pod) {
        if (pod.getStatus() == null) {
            return "failed";
        }
        String m = pod.getStatus().getMessage() != null ? pod.getStatus().getMessage() : pod.getStatus().getReason();
        return m == null ? "failed" : m;
    }
}
