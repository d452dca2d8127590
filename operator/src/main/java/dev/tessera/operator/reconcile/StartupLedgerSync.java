package dev.tessera.operator.reconcile;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.tessera.operator.api.TrainingJob;
import dev.tessera.operator.util.DaemonThreads;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;

/**
 * Sends the ledger sync when this operator starts reconciling: a scheduler that started before it is unsynced
 * and places nothing until told every bound placement, so it is told now rather than when the first jobs ask for
 * chips and all find it unsynced. A synced scheduler refuses the sync (409) and keeps its ledger.
 *
 * <p>An event source of the TrainingJob controller, so it starts where the controller starts: with several
 * replicas only on the one holding the lease, whose releases the sync knows of. It raises no events. Until the
 * scheduler answers, it tries again every {@link #RETRY}.
 */
final class StartupLedgerSync extends AbstractEventSource<StartupLedgerSync.Sent, TrainingJob> {
    private static final Logger LOG = Logger.getLogger(StartupLedgerSync.class);
    static final Duration RETRY = Duration.ofSeconds(5);

    /** Nothing this source hands the controller: it has no secondary resources. */
    record Sent() {
    }

    /** Sends the sync ({@link LedgerSync#syncNow}); throws when the scheduler cannot be reached. */
    private final Runnable sync;
    private final Duration retry;
    private ScheduledExecutorService executor;
    /** Attempts that failed so far; read and written on the executor's one thread only. */
    private int failures;

    StartupLedgerSync(LedgerSync ledgerSync) {
        this(ledgerSync::syncNow, RETRY);
    }

    StartupLedgerSync(Runnable sync, Duration retry) {
        super(Sent.class, "startup-ledger-sync");
        this.sync = sync;
        this.retry = retry;
    }

    @Override
    public Set<Sent> getSecondaryResources(TrainingJob primary) {
        return Set.of();
    }

    @Override
    public synchronized void start() {
        super.start();
        if (executor == null) {
            executor = DaemonThreads.scheduler("tessera-startup-sync");
            executor.execute(this::sync);
        }
    }

    private void sync() {
        try {
            sync.run();
            if (failures > 0) {
                LOG.infof("ledger sync at start sent after %d failed attempts", failures);
            }
        } catch (RuntimeException e) {
            // said once; a scheduler that stays away is reported by every reconcile that needs it
            if (failures++ == 0) {
                LOG.warnf("ledger sync at start not sent, retrying every %s: %s", retry, e.getMessage());
            } else {
                LOG.debugf("ledger sync at start not sent (attempt %d): %s", failures, e.getMessage());
            }
            ScheduledExecutorService current = executor;
            if (current != null && !current.isShutdown()) {
                current.schedule(this::sync, retry.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        super.stop();
    }
}
