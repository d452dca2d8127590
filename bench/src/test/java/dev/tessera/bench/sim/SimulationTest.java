package dev.tessera.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.bench.report.RunSummary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private static final List<Pool> TWO_CHIPS = List.of(new Pool("v", "v100", List.of(new Pool.Node("v0", 2))));

    @Test
    void jobsWaitForChipsAndRunForTheirWork() {
        List<JobSpec> trace = List.of(job("a", 0, 2, 10), job("b", 1, 1, 5), job("c", 2, 1, 3));
        SimulationResult result = simulate(trace, TWO_CHIPS, new FirstFitPolicy());

        Map<String, JobOutcome> byId = byId(result);
        assertThat(byId.get("a").completionSeconds()).isEqualTo(10);
        assertThat(byId.get("b").startSeconds()).isEqualTo(10);
        assertThat(byId.get("b").completionSeconds()).isEqualTo(14);
        assertThat(byId.get("c").completionSeconds()).isEqualTo(11);
        assertThat(byId.get("c").queueDelaySeconds()).isEqualTo(8);

        RunSummary summary = RunSummary.of(result);
        assertThat(summary.finished()).isEqualTo(3);
        assertThat(summary.avgJctSeconds()).isCloseTo(35.0 / 3, within(1e-9));
        assertThat(summary.makespanSeconds()).isEqualTo(15);
        // chip-seconds 2x10 + 1x5 + 1x3 over 2 chips x 15 s
        assertThat(summary.utilisation()).isCloseTo(28.0 / 30, within(1e-9));
        assertThat(summary.peakAllocationRatio()).isEqualTo(1.0);
        // a asked once at 0; b and c skipped while nothing was free, then asked once each at 10
        assertThat(result.decisionNanos()).hasSize(3);
    }

    @Test
    void aJobThatDoesNotFitDoesNotBlockTheJobsBehindIt() {
        List<JobSpec> trace = List.of(job("a", 0, 1, 10), job("big", 1, 2, 5), job("small", 2, 1, 3));
        Map<String, JobOutcome> byId = byId(simulate(trace, TWO_CHIPS, new FirstFitPolicy()));
        assertThat(byId.get("small").startSeconds()).isEqualTo(2);
        assertThat(byId.get("big").startSeconds()).isEqualTo(10);
        assertThat(byId.get("big").endSeconds()).isEqualTo(15);
    }

    @Test
    void rateDecidesRunTime() {
        List<JobSpec> trace = List.of(job("a", 0, 1, 10));
        SimulationResult result = new Simulation((job, placement) -> 4.0, 0)
                .run(trace, TWO_CHIPS, new FirstFitPolicy(), Progress.NONE);
        assertThat(result.outcomes().get(0).endSeconds()).isEqualTo(2.5);
    }

    @Test
    void aPreemptedJobKeepsItsProgressAndRunsAgainLater() {
        List<Pool> oneChip = List.of(new Pool("v", "v100", List.of(new Pool.Node("v0", 1))));
        JobSpec low = new JobSpec("low", 0, 0, 1, 1, 1, 1, Set.of(), null, 10);
        JobSpec high = new JobSpec("high", 4, 5, 1, 1, 1, 1, Set.of(), null, 2);
        Map<String, JobOutcome> byId = byId(simulate(List.of(low, high), oneChip, new FirstFitPolicy()));
        assertThat(byId.get("high").startSeconds()).isEqualTo(4);
        assertThat(byId.get("high").endSeconds()).isEqualTo(6);
        assertThat(byId.get("low").preemptions()).isEqualTo(1);
        // 4 s done before, 6 s left after the high-priority job ends at 6
        assertThat(byId.get("low").endSeconds()).isEqualTo(12);
    }

    @Test
    void countsPlacementsOnChipModelsAJobDoesNotAllow() {
        PlacementPolicy blind = new AgnosticFifoPolicy(1);
        JobSpec onlyK80 = new JobSpec("j", 0, 0, 1, 1, 1, 1, Set.of("k80"), null, 1);
        SimulationResult result = simulate(List.of(onlyK80), TWO_CHIPS, blind);
        assertThat(result.outcomes().get(0).constraintViolations()).isEqualTo(1);
        assertThat(RunSummary.of(result).placedFraction()).isZero();
    }

    @Test
    void chipsThatCannotRunAJobAreGivenBackAndTheJobWaits() {
        List<JobSpec> trace = List.of(job("a", 0, 1, 10));
        SimulationResult result = new Simulation((job, placement) -> 0.0, 0)
                .run(trace, TWO_CHIPS, new FirstFitPolicy(), Progress.NONE);
        JobOutcome a = result.outcomes().get(0);
        assertThat(a.failedStarts()).isEqualTo(1);
        assertThat(a.placed()).isFalse();
        assertThat(result.allocationRatios()).containsOnly(0.0);
    }

    @Test
    void aPolicyThatOverbooksIsCaught() {
        PlacementPolicy greedy = new PlacementPolicy() {
            @Override
            public String name() {
                return "greedy";
            }

            @Override
            public Optional<Placement> place(JobSpec job, Cluster cluster, double now) {
                return Optional.of(Placement.of(List.of(new ShardAllocation("v", "v100", Map.of("v0", 2), 1))));
            }
        };
        List<JobSpec> trace = List.of(job("a", 0, 2, 10), new JobSpec("b", 1, 1, 1, 1, 2, 1, Set.of(), null, 1));
        assertThatThrownBy(() -> simulate(trace, TWO_CHIPS, greedy)).hasMessageContaining("overbooks");
    }

    @Test
    void jobsWithoutEndHoldTheirChipsAndLaterOnesNeverRun() {
        List<JobSpec> trace = List.of(job("a", 0, 2, Double.POSITIVE_INFINITY), job("b", 1, 1, 5));
        SimulationResult result = simulate(trace, TWO_CHIPS, new FirstFitPolicy());
        assertThat(result.outcomes()).extracting(JobOutcome::placed).containsExactly(true, false);
        assertThat(result.outcomes()).noneMatch(JobOutcome::finished);
    }

    @Test
    void withARetryIntervalWaitingJobsAreAskedAgainWhileTimePasses() {
        PlacementPolicy notBefore5 = new PlacementPolicy() {
            private final FirstFitPolicy firstFit = new FirstFitPolicy();

            @Override
            public String name() {
                return "notBefore5";
            }

            @Override
            public Optional<Placement> place(JobSpec job, Cluster cluster, double now) {
                return job.id().equals("late") && now < 5 ? Optional.empty() : firstFit.place(job, cluster, now);
            }
        };
        // other jobs arrive every second and never end: events keep coming, no chips are ever freed
        List<Pool> roomy = List.of(new Pool("v", "v100", List.of(new Pool.Node("v0", 20))));
        List<JobSpec> trace = new java.util.ArrayList<>(List.of(job("late", 0, 1, 1)));
        for (int t = 0; t < 10; t++) {
            trace.add(job("other-" + t, t + 0.5, 1, Double.POSITIVE_INFINITY));
        }
        Map<String, JobOutcome> retried = byId(new Simulation(RateModel.WALL_CLOCK, 2)
                .run(trace, roomy, notBefore5, Progress.NONE));
        assertThat(retried.get("late").startSeconds()).isEqualTo(6);

        // without retries it is asked again only when chips are freed, which never happens here
        Map<String, JobOutcome> notRetried = byId(simulate(trace, roomy, notBefore5));
        assertThat(notRetried.get("late").placed()).isFalse();
    }

    private static JobSpec job(String id, double arrival, int chips, double seconds) {
        return new JobSpec(id, arrival, 0, 1, 1, chips, 1, Set.of(), null, seconds);
    }

    private static SimulationResult simulate(List<JobSpec> trace, List<Pool> pools, PlacementPolicy policy) {
        return new Simulation(RateModel.WALL_CLOCK, 0).run(trace, pools, policy, Progress.NONE);
    }

    private static Map<String, JobOutcome> byId(SimulationResult result) {
        Map<String, JobOutcome> map = new java.util.HashMap<>();
        result.outcomes().forEach(o -> map.put(o.job().id(), o));
        return map;
    }
}
