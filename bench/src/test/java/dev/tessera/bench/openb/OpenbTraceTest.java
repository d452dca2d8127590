package dev.tessera.bench.openb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.bench.Fixtures;
import dev.tessera.bench.sim.JobSpec;
import dev.tessera.bench.sim.Pool;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenbTraceTest {

    @Test
    void oneLowercasePoolPerGpuModelWithoutGpulessNodes() throws Exception {
        List<Pool> pools = OpenbTrace.pools(OpenbTrace.readNodes(Fixtures.path("nodes.csv")));
        assertThat(pools).extracting(Pool::name).containsExactly("g2", "p100", "v100m32");
        assertThat(pools).extracting(Pool::capacity).containsExactly(8, 2, 4);
        assertThat(pools.get(0).nodes()).containsExactly(new Pool.Node("n-1", 8));
    }

    @Test
    void gpuTasksBecomeSingleNodeJobsWithTheirModelConstraintsAndRecordedRunTimes() throws Exception {
        List<OpenbPodRow> pods = OpenbTrace.readPods(Fixtures.path("pods.csv"));
        assertThat(OpenbTrace.timed(pods)).isTrue();
        assertThat(pods.get(3).scheduledTime()).isNull();
        assertThat(pods.get(1).sharesGpu()).isTrue();

        List<JobSpec> jobs = OpenbTrace.toJobs(pods, OpenbTrace.Arrivals.TRACE);
        assertThat(jobs).extracting(JobSpec::id).containsExactly("p-0", "p-1", "p-3", "p-4");
        JobSpec shared = jobs.get(1);
        assertThat(shared.chips()).isEqualTo(1);
        assertThat(shared.allowedChips()).containsExactlyInAnyOrder("v100m16", "v100m32");
        assertThat(shared.arrivalSeconds()).isEqualTo(5);
        assertThat(shared.work()).isEqualTo(43); // deletion 50 - scheduled 7

        JobSpec neverRan = jobs.get(2);
        assertThat(neverRan.work()).isEqualTo(30); // no scheduled time: creation 10 to deletion 40
        assertThat(neverRan.tensorParallel()).isEqualTo(8);
        assertThat(neverRan.shards()).isEqualTo(1);
        assertThat(jobs.get(0).allowedChips()).isEmpty();
    }

    @Test
    void aFileWithoutTimesArrivesInOrderAndNeverEnds() throws Exception {
        List<OpenbPodRow> pods = OpenbTrace.readPods(Fixtures.path("pods-untimed.csv"));
        assertThat(OpenbTrace.timed(pods)).isFalse();
        assertThatThrownBy(() -> OpenbTrace.toJobs(pods, OpenbTrace.Arrivals.TRACE)).hasMessageContaining("no times");
        List<JobSpec> jobs = OpenbTrace.toJobs(pods, OpenbTrace.Arrivals.PACKED);
        assertThat(jobs).extracting(JobSpec::arrivalSeconds).containsExactly(0.0, 1.0);
        assertThat(jobs).allSatisfy(job -> assertThat(job.work()).isInfinite());
    }

    @Test
    void packedReplayTakesTasksInCreationOrderAndKeepsThemForever() throws Exception {
        List<JobSpec> jobs = OpenbTrace.toJobs(OpenbTrace.readPods(Fixtures.path("pods.csv")), OpenbTrace.Arrivals.PACKED);
        assertThat(jobs).extracting(JobSpec::id).containsExactly("p-0", "p-1", "p-3", "p-4");
        assertThat(jobs).extracting(JobSpec::arrivalSeconds).containsExactly(0.0, 1.0, 2.0, 3.0);
        assertThat(jobs).allSatisfy(job -> assertThat(job.work()).isInfinite());
    }
}
