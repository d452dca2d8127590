package dev.tessera.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.tessera.operator.scheduler.SchedulerUnavailableException;

class StartupLedgerSyncTest {

    /** A ledger sync whose scheduler cannot be reached for the first {@code failures} attempts. */
    static Runnable flaky(int failures, AtomicInteger attempts) {
        return () -> {
            if (attempts.incrementAndGet() <= failures) {
                throw new SchedulerUnavailableException("connection refused");
            }
        };
    }

    static void waitFor(AtomicInteger attempts, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (attempts.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void itSyncsWhenStartedAndTriesAgainUntilTheSchedulerAnswersThenStops() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        StartupLedgerSync source = new StartupLedgerSync(flaky(2, attempts), Duration.ofMillis(50));
        source.start();
        try {
            waitFor(attempts, 3);
            assertThat(attempts.get()).isEqualTo(3);
            Thread.sleep(300); // six more retry periods: the sync went through, nothing more is sent
            assertThat(attempts.get()).isEqualTo(3);
        } finally {
            source.stop();
        }
    }

    @Test
    void stoppedItTriesNoMore() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        StartupLedgerSync source = new StartupLedgerSync(flaky(Integer.MAX_VALUE, attempts), Duration.ofMillis(50));
        source.start();
        waitFor(attempts, 2);
        source.stop();
        int seen = attempts.get();
        Thread.sleep(300);
        assertThat(attempts.get()).isLessThanOrEqualTo(seen + 1); // one may have been under way
    }
}
