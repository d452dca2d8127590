package dev.tessera.scheduler.ledger;

/** The ledger has not been re-told what is bound since the scheduler started. */
public class LedgerUnsyncedException extends RuntimeException {
    public LedgerUnsyncedException() {
        super("The scheduler restarted and has not yet received the full ledger sync (PUT /api/v1/ledger).");
    }
}
