package dev.tessera.scheduler.ledger;

import java.time.Instant;

/**
 * A full sync sent to a ledger that is synced already. Since its sync the ledger is the live record of
 * what is booked, newer than any TrainingJob statuses read before a later sync was sent (a second sync,
 * built while the first was on its way, would forget what was placed in between), so it is not taken.
 */
public class LedgerAlreadySyncedException extends RuntimeException {
    public LedgerAlreadySyncedException(Instant syncedAt) {
        super("The ledger was synced at " + syncedAt + " and is the live record since; a full sync is taken only"
                + " after a restart, while placements answer 503 ledger-unsynced.");
    }
}
