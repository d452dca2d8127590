package dev.tessera.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tessera.operator.api.Conditions;
import dev.tessera.operator.api.Phase;
import dev.tessera.operator.api.TrainingJob;
import dev.tessera.operator.api.TrainingJobStatus;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

class PlacementFirstTest {
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<TrainingJob> jobs = new ArrayList<>();
    private final List<ResourceID> woken = new CopyOnWriteArrayList<>();
    private PlacementFirst gate;

    @BeforeEach
    void setUp() {
        gate = new PlacementFirst(Duration.ofSeconds(10), clock);
        gate.watch(() -> List.copyOf(jobs).stream(), PlacementFirstTest.this::lookup);
        gate.setEventHandler(e -> woken.add(e.getRelatedCustomResourceID()));
    }

    @Test
    void aJobPlacedWhileNoOtherAwaitsADecisionStartsItsWorkersAtOnce() {
        TrainingJob a = placed("a");
        jobs.add(a);
        jobs.add(placed("b"));
        jobs.add(refused("c"));
        assertThat(gate.deferWorkers(a)).isFalse();
        assertThat(gate.deferredCount()).isZero();
    }

    @Test
    void aPlacedJobWaitsWhileNewJobsAwaitTheirFirstDecisionAndIsWokenWhenAllAreDecided() {
        TrainingJob a = placed("a");
        TrainingJob b = fresh("b");
        jobs.add(a);
        jobs.add(b);
        assertThat(gate.deferWorkers(a)).isTrue();

        clock.advance(Duration.ofMillis(300));
        gate.tick();
        assertThat(woken).as("b still awaits its decision").isEmpty();

        jobs.set(1, placed("b"));
        gate.tick();
        assertThat(woken).as("all decided only a moment ago").isEmpty();
        assertThat(gate.deferWorkers(a)).as("held back until the quiet period is over").isTrue();
        clock.advance(PlacementFirst.QUIET);
        gate.tick();
        assertThat(woken).containsExactly(ResourceID.fromResource(a));
        assertThat(gate.deferWorkers(a)).as("woken: starts its workers now").isFalse();
        assertThat(gate.deferredCount()).isZero();
    }

    @Test
    void theDeferralIsBoundedEvenWhileNewJobsKeepArriving() {
        TrainingJob a = placed("a");
        jobs.add(a);
        jobs.add(fresh("b"));
        assertThat(gate.deferWorkers(a)).isTrue();

        clock.advance(Duration.ofSeconds(9));
        gate.tick();
        assertThat(gate.deferWorkers(a)).isTrue();
        assertThat(woken).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        gate.tick();
        assertThat(woken).containsExactly(ResourceID.fromResource(a));
        assertThat(gate.deferWorkers(a)).isFalse();
    }

    @Test
    void aReconcileAfterTheDeferralRanOutGoesOnWithoutWaitingForTheTick() {
        TrainingJob a = placed("a");
        jobs.add(a);
        jobs.add(fresh("b"));
        assertThat(gate.deferWorkers(a)).isTrue();
        clock.advance(Duration.ofSeconds(11));
        assertThat(gate.deferWorkers(a)).isFalse();
        gate.tick();
        assertThat(woken).isEmpty();
    }

    @Test
    void theJobItselfStillShownUndecidedInAStaleCacheDoesNotHoldItBack() {
        TrainingJob a = placed("a");
        jobs.add(fresh("a"));
        assertThat(gate.deferWorkers(a)).isFalse();
    }

    @Test
    void whenTheUndecidedJobFoundLastIsGoneOrDecidedTheOthersStillCount() {
        TrainingJob a = placed("a");
        jobs.add(a);
        jobs.add(fresh("b"));
        assertThat(gate.deferWorkers(a)).isTrue();
        jobs.remove(1);
        jobs.add(placed("c"));
        jobs.add(fresh("d"));
        gate.tick();
        assertThat(woken).as("d still awaits its decision").isEmpty();
        jobs.set(2, placed("d"));
        clock.advance(PlacementFirst.QUIET);
        gate.tick();
        assertThat(woken).containsExactly(ResourceID.fromResource(a));
    }

    @Test
    void onlyAJobAlreadyHeldBackIsHeldBackOnAnotherReconcile() {
        TrainingJob a = placed("a");
        jobs.add(a);
        jobs.add(fresh("b"));
        assertThat(gate.holdsBack(a)).as("not deferred yet: holdsBack starts nothing").isFalse();
        assertThat(gate.deferredCount()).isZero();
        assertThat(gate.deferWorkers(a)).isTrue();
        assertThat(gate.holdsBack(a)).as("deferred, b still undecided").isTrue();
        jobs.set(1, placed("b"));
        clock.advance(PlacementFirst.QUIET);
        gate.tick();
        assertThat(woken).containsExactly(ResourceID.fromResource(a));
        assertThat(gate.holdsBack(a)).as("woken: it goes on to start its workers").isFalse();
        assertThat(gate.deferWorkers(a)).isFalse();
    }

    @Test
    void aMomentWithoutUndecidedJobsInABurstDoesNotStartTheHeldBackWorkers() {
        TrainingJob a = placed("a");
        jobs.add(a);
        jobs.add(fresh("b"));
        assertThat(gate.deferWorkers(a)).isTrue();
        jobs.set(1, placed("b"));
        clock.advance(Duration.ofMillis(400));
        gate.tick();
        jobs.add(fresh("c"));
        clock.advance(Duration.ofMillis(400));
        gate.tick();
        jobs.set(2, placed("c"));
        clock.advance(Duration.ofMillis(400));
        gate.tick();
        assertThat(woken).as("gaps shorter than the quiet period").isEmpty();
        TrainingJob d = placed("d");
        jobs.add(d);
        assertThat(gate.deferWorkers(d)).as("a job placed while nothing waits is not held back").isFalse();
        clock.advance(PlacementFirst.QUIET);
        gate.tick();
        assertThat(woken).containsExactly(ResourceID.fromResource(a));
    }

    @Test
    void aZeroDeferralTurnsPlacementFirstOff() {
        PlacementFirst off = new PlacementFirst(Duration.ZERO, clock);
        off.watch(() -> List.of(fresh("b")).stream(), id -> Optional.of(fresh("b")));
        assertThat(off.deferWorkers(placed("a"))).isFalse();
    }

    @Test
    void aForgottenJobIsNeverWoken() {
        TrainingJob a = placed("a");
        jobs.add(a);
        jobs.add(fresh("b"));
        assertThat(gate.deferWorkers(a)).isTrue();
        gate.forget(ResourceID.fromResource(a));
        clock.advance(Duration.ofSeconds(30));
        gate.tick();
        assertThat(woken).isEmpty();
    }

    @Test
    void onlyJobsWithoutAnyPlacementDecisionCountAsUndecided() {
        assertThat(PlacementFirst.awaitsFirstDecision(fresh("new"))).isTrue();
        TrainingJob noCondition = fresh("status-without-conditions");
        noCondition.setStatus(new TrainingJobStatus());
        assertThat(PlacementFirst.awaitsFirstDecision(noCondition)).isTrue();

        assertThat(PlacementFirst.awaitsFirstDecision(placed("placed"))).isFalse();
        assertThat(PlacementFirst.awaitsFirstDecision(refused("pending"))).isFalse();
        TrainingJob suspended = fresh("suspended");
        suspended.getSpec().setSuspend(true);
        assertThat(PlacementFirst.awaitsFirstDecision(suspended)).isFalse();
        TrainingJob deleted = fresh("deleted");
        deleted.getMetadata().setDeletionTimestamp(T0.toString());
        assertThat(PlacementFirst.awaitsFirstDecision(deleted)).isFalse();
        TrainingJob finished = fresh("finished");
        finished.setStatus(new TrainingJobStatus());
        finished.getStatus().setPhase(Phase.Succeeded);
        assertThat(PlacementFirst.awaitsFirstDecision(finished)).isFalse();
    }

    private Optional<TrainingJob> lookup(ResourceID id) {
        return List.copyOf(jobs).stream().filter(j -> ResourceID.fromResource(j).equals(id)).findFirst();
    }

    private static TrainingJob fresh(String name) {
        TrainingJob job = WorkerPodsTest.job();
        job.getMetadata().setName(name);
        job.getMetadata().setUid("uid-" + name);
        job.setStatus(null);
        return job;
    }

    private static TrainingJob placed(String name) {
        return decided(name, true);
    }

    private static TrainingJob refused(String name) {
        return decided(name, false);
    }

    private static TrainingJob decided(String name, boolean placed) {
        TrainingJob job = fresh(name);
        job.setStatus(new TrainingJobStatus());
        job.getStatus().setPhase(placed ? Phase.Placed : Phase.Pending);
        Conditions.set(job.getStatus().getConditions(), Conditions.PLACED, placed,
                placed ? Conditions.Reasons.PLACED : Conditions.Reasons.INSUFFICIENT_CAPACITY, "test", 1L, T0);
        return job;
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
