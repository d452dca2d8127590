package dev.tessera.operator.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import dev.tessera.operator.api.Conditions;
import dev.tessera.operator.api.TrainingJob;
import dev.tessera.operator.util.DaemonThreads;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;

/**
 * Placement first: while newly submitted jobs still wait for their first placement decision, a job
 * that was just placed holds back creating its workers, for at most {@code maxDeferral}.
 *
 * <p>When hundreds of jobs arrive at once, every worker Pod, its binding and its status changes cost
 * the API server and the operator as much as a placement does. Placing all new jobs first gives each
 * job its decision (and its chips in the ledger) quickly, and the workers of all of them start right
 * after; a single job, or one arriving while nothing else waits, starts its workers at once.
 *
 * <p>As an event source it wakes each deferred job again: once no job has awaited its first decision for
 * {@link #QUIET}, or when the job's deferral runs out.
 */
public final class PlacementFirst extends AbstractEventSource<PlacementFirst.WorkerStart, TrainingJob> {
    private static final Logger LOG = Logger.getLogger(PlacementFirst.class);
    /** How often deferred jobs are looked at. */
    static final Duration TICK = Duration.ofMillis(100);
    /**
     * How long no job may await a decision before the held-back jobs start their workers: in a burst the operator
     * catches up with the arrivals for a moment now and then, and starting hundreds of workers in such a gap
     * would hold up the jobs still arriving.
     */
    static final Duration QUIET = Duration.ofSeconds(1);

    /** What this event source tells the controller: the job may start its workers now. */
    public record WorkerStart(ResourceID job) {
    }

    private final Duration maxDeferral;
    private final Clock clock;
    /** Deferred jobs and when their deferral began. */
    private final Map<ResourceID, Instant> deferred = new ConcurrentHashMap<>();
    /** Jobs woken by this source, which start their workers on the next reconcile. */
    private final Set<ResourceID> released = ConcurrentHashMap.newKeySet();
    private volatile Supplier<Stream<TrainingJob>> jobs = Stream::empty;
    private volatile Function<ResourceID, Optional<TrainingJob>> lookup = id -> Optional.empty();
    /** The undecided job found last: during a burst it is usually still undecided, which spares a scan of all jobs. */
    private volatile ResourceID lastUndecided;
    /** When a job was last seen awaiting its first decision. */
    private volatile Instant undecidedSeen = Instant.MIN;
    private ScheduledExecutorService timer;

    public PlacementFirst(Duration maxDeferral, Clock clock) {
        super(WorkerStart.class, "placement-first");
        this.maxDeferral = maxDeferral;
        this.clock = clock;
    }

    /** Where the known jobs come from: the controller's cache of TrainingJobs, listed and looked up by id. */
    void watch(Supplier<Stream<TrainingJob>> jobs, Function<ResourceID, Optional<TrainingJob>> lookup) {
        this.jobs = jobs;
        this.lookup = lookup;
    }

    /**
     * Whether {@code job}, placed a moment ago and without workers yet, should hold back creating them.
     * A deferred job is reconciled again when it may go on.
     */
    public boolean deferWorkers(TrainingJob job) {
        if (maxDeferral.isZero() || maxDeferral.isNegative()) {
            return false;
        }
        ResourceID id = ResourceID.fromResource(job);
        if (released.remove(id)) {
            deferred.remove(id);
            return false;
        }
        Instant now = clock.instant();
        Instant since = deferred.get(id);
        if (since != null && !now.isBefore(since.plus(maxDeferral))) {
            deferred.remove(id);
            return false;
        }
        if (anyUndecided(Set.of(id))) {
            undecidedSeen = now;
            deferred.putIfAbsent(id, now);
            return true;
        }
        // Nothing awaits a decision now: a job not held back starts at once; one already held back waits out
        // the quiet period with the others.
        if (since == null || !now.isBefore(undecidedSeen.plus(QUIET))) {
            deferred.remove(id);
            return false;
        }
        return true;
    }

    /**
     * Whether {@code job} is already held back and still should be: a job reconciled again while it waits
     * (its own update events arrive late in a burst) then has nothing to do. Never starts a deferral.
     */
    public boolean holdsBack(TrainingJob job) {
        ResourceID id = ResourceID.fromResource(job);
        return deferred.containsKey(id) && !released.contains(id) && deferWorkers(job);
    }

    /** Forgets a job (deleted, or its workers no longer wanted). */
    public void forget(ResourceID id) {
        deferred.remove(id);
        released.remove(id);
    }

    int deferredCount() {
        return deferred.size();
    }

    /** One look at the deferred jobs: wakes all when no job awaits a decision, else those whose deferral ran out. */
    void tick() {
        if (deferred.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        if (anyUndecided(deferred.keySet())) {
            undecidedSeen = now;
        }
        boolean nothingUndecided = !now.isBefore(undecidedSeen.plus(QUIET));
        List<ResourceID> due = deferred.entrySet().stream()
                .filter(e -> nothingUndecided || !now.isBefore(e.getValue().plus(maxDeferral)))
                .map(Map.Entry::getKey).toList();
        for (ResourceID id : due) {
            released.add(id);
            deferred.remove(id);
            if (getEventHandler() != null) {
                getEventHandler().handleEvent(new Event(id));
            }
        }
        if (!due.isEmpty()) {
            LOG.debugf("%d placed jobs start their workers (%s)", due.size(),
                    nothingUndecided ? "no job awaited placement for " + QUIET.toMillis() + " ms" : "deferral ran out");
        }
    }

    /** Whether a job other than those in {@code except} waits for its first placement decision; stops at the first. */
    private boolean anyUndecided(Set<ResourceID> except) {
        ResourceID hint = lastUndecided;
        if (hint != null && !except.contains(hint) && lookup.apply(hint).filter(PlacementFirst::awaitsFirstDecision).isPresent()) {
            return true;
        }
        Optional<ResourceID> found = jobs.get().filter(PlacementFirst::awaitsFirstDecision).map(ResourceID::fromResource)
                .filter(id -> !except.contains(id)).findFirst();
        lastUndecided = found.orElse(null);
        return found.isPresent();
    }

    /** Not yet placed nor refused: no {@code Placed} condition, not suspended, not being deleted, not finished. */
    static boolean awaitsFirstDecision(TrainingJob job) {
        if (job.getMetadata().getDeletionTimestamp() != null || (job.getSpec() != null && job.getSpec().isSuspend())) {
            return false;
        }
        var status = job.getStatus();
        if (status == null) {
            return true;
        }
        if (status.getPhase() != null && status.getPhase().isTerminal()) {
            return false;
        }
        return Conditions.find(status.getConditions(), Conditions.PLACED).isEmpty();
    }

    @Override
    public Set<WorkerStart> getSecondaryResources(TrainingJob primary) {
        return Set.of();
    }

    @Override
    public synchronized void start() {
        super.start();
        if (timer == null) {
            timer = DaemonThreads.scheduler("tessera-placement-first");
            timer.scheduleWithFixedDelay(() -> {
                try {
                    tick();
                } catch (RuntimeException e) {
                    LOG.warn("placement-first pass failed; the next pass retries", e);
                }
            }, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        super.stop();
    }
}
