package dev.tessera.operator.reconcile;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tessera.operator.api.Phase;
import dev.tessera.operator.api.TrainingJob;
import dev.tessera.operator.pools.NodePoolWatcher;
import dev.tessera.operator.scheduler.SchedulerClient;
import dev.tessera.operator.scheduler.SchedulerDtos.BoundPlacement;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Re-tells a restarted scheduler every placement that TrainingJob statuses record as bound,
 * together with the pools, in one full sync (docs/api.md, "Restart and the ledger sync").
 */
@ApplicationScoped
public class LedgerSync {
    private static final Logger LOG = Logger.getLogger(LedgerSync.class);

    @Inject
    KubernetesClient client;
    @Inject
    SchedulerClient scheduler;
    @Inject
    Instance<NodePoolWatcher> pools;

    /** A sync holds it exclusively; releases share it, so they run side by side but never during a sync. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /**
     * Jobs released and not placed again since: a sync leaves them out, whatever their status says, for
     * the status that no longer names a placement may not be written yet when the sync lists the jobs.
     */
    private final Set<String> released = ConcurrentHashMap.newKeySet();

    /** Syncs that ended with the scheduler synced (by this sync, or found synced already). */
    private final AtomicLong completed = new AtomicLong();

    /**
     * Sends the full sync, once for all callers that found the scheduler unsynced at the same time: every
     * reconcile that asked for chips in that moment lands here, and a caller that waited behind a sync which
     * ended meanwhile has nothing left to send (each sync lists every job; thirty of them in a row would hold
     * up every reconcile for as long).
     */
    public void syncNow() {
        long seen = completed.get();
        lock.writeLock().lock();
        try {
            if (completed.get() != seen) {
                LOG.debug("a ledger sync ended while this one waited: the scheduler is synced");
                return;
            }
            send();
            completed.incrementAndGet();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Callers waiting for a sync to end: for tests. */
    public int waitingForSync() {
        return lock.getQueueLength();
    }

    /** Whether a sync is on its way or waited for: for tests. */
    public boolean syncInFlight() {
        return lock.isWriteLocked() || lock.getQueueLength() > 0;
    }

    private void send() {
        List<BoundPlacement> bound = client.resources(TrainingJob.class).inAnyNamespace().list().getItems().stream()
                .filter(LedgerSync::holdsChips)
                .filter(job -> !released.contains(job.getMetadata().getUid()))
                .map(PlacementMapping::bound)
                .toList();
        var snapshot = pools.get().currentPools();
        if (scheduler.syncLedger(new dev.tessera.operator.scheduler.SchedulerDtos.LedgerSync(snapshot, bound))) {
            LOG.infof("ledger sync sent to the scheduler: %d pools, %d bound placements", snapshot.size(), bound.size());
        } else {
            LOG.debug("the scheduler was synced already (by an earlier sync of this operator): nothing sent twice");
        }
    }

    /**
     * Releases a job's chips, never while a sync is on its way: a sync lists the jobs that hold chips and
     * then sends them, so a release between the two would be undone when the sync arrives and the chips
     * would stay booked for a job that let them go. Behind the sync's lock, the release lands after it.
     */
    public void release(String jobId) {
        lock.readLock().lock();
        try {
            scheduler.release(jobId);
            released.add(jobId);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The scheduler placed the job again: a sync tells it again from its status. */
    public void placed(String jobId) {
        released.remove(jobId);
    }

    /** The job is gone. */
    public void forget(String jobId) {
        released.remove(jobId);
    }

    /** Jobs a sync would leave out as released: for tests. */
    public boolean isReleased(String jobId) {
        return released.contains(jobId);
    }

    static boolean holdsChips(TrainingJob job) {
        var status = job.getStatus();
        return status != null && status.getPlacement() != null && !status.getPlacement().getShards().isEmpty()
                && status.getPhase() != Phase.Succeeded && status.getPhase() != Phase.Failed
                && status.getPhase() != Phase.Suspended && status.getPhase() != Phase.Pending
                && job.getMetadata().getDeletionTimestamp() == null;
    }
}
