package dev.tessera.scheduler;

import dev.tessera.scheduler.inventory.AvailabilityCache;
import dev.tessera.scheduler.ledger.LedgerService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Always UP: an unreachable inventory or an unsynced ledger must not stop Kubernetes routing to the
 * scheduler (the operator has to reach it to sync); the details say what is degraded.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    AvailabilityCache availability;

    @Inject
    LedgerService ledgers;

    @Override
    public HealthCheckResponse call() {
        AvailabilityCache.Status s = availability.status();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("scheduler").up()
                .withData("ledger", ledgers.ledger().synced() ? "Synced" : "Unsynced")
                .withData("inventory", s.degraded() ? "degraded" : "ok");
        if (s.degraded()) {
            b.withData("inventoryDetail", (s.everLoaded() ? "unreachable, using quotas and deliveries last read at " + s.lastSuccess()
                    : "never reached, no quotas or deliveries known") + (s.lastError() == null ? "" : ": " + s.lastError()));
        } else if (s.lastSuccess() != null) {
            b.withData("inventoryLastRead", s.lastSuccess().toString());
        }
        return b.build();
    }
}
