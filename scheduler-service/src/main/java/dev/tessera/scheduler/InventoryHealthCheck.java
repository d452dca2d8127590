package dev.tessera.scheduler;

import dev.tessera.scheduler.inventory.AvailabilityCache;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The inventory dependency on its own, under {@code /q/health/well} (and in {@code /q/health}): DOWN while
 * inventory cannot be read, for monitoring to alert on. Readiness stays UP meanwhile ({@link ReadinessCheck}):
 * the scheduler keeps placing with the quotas and deliveries it last read, and recovers by itself at the next
 * successful poll.
 */
@Wellness
@ApplicationScoped
public class InventoryHealthCheck implements HealthCheck {

    @Inject
    AvailabilityCache availability;

    @Override
    public HealthCheckResponse call() {
        AvailabilityCache.Status s = availability.status();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("inventory").status(!s.degraded());
        if (s.lastSuccess() != null) {
            b.withData("lastRead", s.lastSuccess().toString());
        }
        if (s.degraded()) {
            b.withData("serving", s.everLoaded() ? "last known quotas and deliveries" : "no quotas or deliveries known yet");
            if (s.lastError() != null) {
                b.withData("error", s.lastError());
            }
        }
        return b.build();
    }
}
