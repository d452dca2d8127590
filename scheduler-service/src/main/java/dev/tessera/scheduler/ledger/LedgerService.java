package dev.tessera.scheduler.ledger;

import dev.tessera.scheduler.engine.PlacementEngine;
import dev.tessera.scheduler.inventory.AvailabilityCache;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Holds the process's one ledger, fed with inventory's quotas and deliveries as they arrive. */
@ApplicationScoped
public class LedgerService {

    @Inject
    PlacementEngine engine;

    @Inject
    AvailabilityCache availability;

    private volatile Ledger ledger;

    @PostConstruct
    void init() {
        ledger = new Ledger(engine);
        availability.onChange((q, d) -> ledger.availability(q, d));
    }

    public Ledger ledger() {
        return ledger;
    }

    /**
     * Forgets everything, as a process restart does (the ledger lives in memory only); the new ledger
     * is unsynced until the next {@code PUT /ledger}. Tests use it to restart between placements.
     */
    public void restart() {
        Ledger fresh = new Ledger(engine);
        ledger = fresh;
        availability.onChange((q, d) -> fresh.availability(q, d));
    }
}
