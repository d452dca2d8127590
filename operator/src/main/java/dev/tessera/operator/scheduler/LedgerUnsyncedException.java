package dev.tessera.operator.scheduler;

/** The scheduler restarted and waits for the operator's full ledger sync before it places again. */
public class LedgerUnsyncedException extends SchedulerUnavailableException {
    public LedgerUnsyncedException(String message) {
        super(message);
    }
}
