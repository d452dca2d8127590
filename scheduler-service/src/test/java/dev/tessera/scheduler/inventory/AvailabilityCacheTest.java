package dev.tessera.scheduler.inventory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.tessera.scheduler.catalog.ChipCatalog;

import static org.assertj.core.api.Assertions.assertThat;

class AvailabilityCacheTest {

    /**
     * Inventory that refuses the first {@code failures} reads, as one still starting does, then answers. A lambda:
     * a class implementing the client's annotated interface would be taken for a REST resource of the test build.
     */
    static InventoryClient starting(int failures, AtomicInteger calls) {
        return () -> {
            if (calls.incrementAndGet() <= failures) {
                throw new IllegalStateException("Connection refused");
            }
            return new Availability(Instant.now(), List.of(new Availability.QuotaEntry("llm-core", "h800", 64, null, null)),
                    List.of());
        };
    }

    static AvailabilityCache cache(InventoryClient client, Duration pollInterval) {
        AvailabilityCache cache = new AvailabilityCache();
        cache.client = client;
        cache.catalog = new ChipCatalog(List.of());
        cache.clock = Clock.systemUTC();
        cache.pollInterval = pollInterval;
        cache.pollEnabled = true;
        return cache;
    }

    @Test
    void anInventoryNotUpYetIsAskedAgainSoonRatherThanAfterAWholePollInterval() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AvailabilityCache cache = cache(starting(2, calls), Duration.ofMinutes(10));
        cache.start(null);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!cache.status().everLoaded() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(cache.status().everLoaded()).as("loaded once inventory answers, long before the 10-minute poll").isTrue();
            assertThat(cache.status().reachable()).isTrue();
            assertThat(cache.degradedNote()).isNull();
            assertThat(calls.get()).isEqualTo(3);
            // once loaded, the poll interval applies: no further read within the next seconds
            Thread.sleep(1500);
            assertThat(calls.get()).isEqualTo(3);
        } finally {
            cache.stop(null);
        }
    }
}
