package dev.tessera.bench.gavel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.bench.Fixtures;
import dev.tessera.bench.sim.JobSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class GavelTraceTest {

    @Test
    void readsTabSeparatedLinesWhoseCommandsHoldQuotes() throws Exception {
        List<GavelJobRow> rows = GavelTrace.read(Fixtures.path("tiny.trace"));
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).command()).isEqualTo("cd %s/x && python3 train.py --name \"a b\"");
        assertThat(rows.get(1).jobType()).isEqualTo("Fast on P100");
        assertThat(rows.get(1).totalSteps()).isEqualTo(400);
        assertThat(rows.get(1).arrivalSeconds()).isEqualTo(10.5);
        assertThat(rows.get(3).gpus()).isEqualTo(32);
    }

    @Test
    void largeJobsBecomeGangsOfEqualShardsOfAtMostEightChips() throws Exception {
        List<JobSpec> jobs = GavelTrace.toJobs(GavelTrace.read(Fixtures.path("tiny.trace")));
        assertThat(jobs).extracting(JobSpec::shards).containsExactly(1, 1, 3, 4);
        assertThat(jobs).extracting(JobSpec::chipsPerShard).containsExactly(1, 2, 4, 8);
        assertThat(jobs).allSatisfy(job -> {
            assertThat(job.minShards()).isEqualTo(job.shards());
            assertThat(job.tensorParallel()).isEqualTo(1);
            assertThat(job.allowedChips()).isEmpty();
        });
        assertThat(jobs.get(2).profile()).isEqualTo("Fast on V100");
        assertThat(jobs.get(2).work()).isEqualTo(9000);
    }
}
