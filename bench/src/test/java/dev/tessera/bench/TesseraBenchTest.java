package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on the hand-made traces: the stable JSON keys and a real PNG. */
class TesseraBenchTest {

    @TempDir
    Path dir;

    @Test
    void gavelWritesBothPoliciesFiguresAndThePlot() throws Exception {
        Path json = dir.resolve("gavel.json");
        Path png = dir.resolve("gavel.png");
        int code = TesseraBench.run(new String[] {"gavel", "--throughputs", Fixtures.path("throughputs.json").toString(),
                "--trace", Fixtures.path("tiny.trace").toString(), "--cluster", "32:32:32", "--chips-per-node", "8",
                "--json", json.toString(), "--plot", png.toString(), "--no-progress"});
        assertThat(code).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        for (String policy : new String[] {"tessera", "agnosticFifo"}) {
            JsonNode p = root.path("policies").path(policy);
            assertThat(p.path("finished").asInt()).as(policy).isEqualTo(4);
            assertThat(p.path("avgJctSeconds").asDouble()).as(policy).isPositive();
            assertThat(p.path("p99JctSeconds").asDouble()).as(policy).isGreaterThanOrEqualTo(p.path("avgJctSeconds").asDouble());
            assertThat(p.path("makespanSeconds").asDouble()).as(policy).isPositive();
        }
        assertThat(root.path("jctRatio").asDouble()).isEqualTo(
                root.at("/policies/agnosticFifo/avgJctSeconds").asDouble() / root.at("/policies/tessera/avgJctSeconds").asDouble());
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void openbReportsConstraintsQueueingAndLatency() throws Exception {
        Path json = dir.resolve("openb.json");
        int code = TesseraBench.run(new String[] {"openb", "--nodes", Fixtures.path("nodes.csv").toString(),
                "--pods", Fixtures.path("pods.csv").toString(), "--json", json.toString(), "--no-progress"});
        assertThat(code).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("gpuTasks").asInt()).isEqualTo(4);
        assertThat(root.path("constraintViolations").asInt()).isZero();
        assertThat(root.path("placedFraction").asDouble()).isEqualTo(1.0);
        assertThat(root.path("queueDelayP99Seconds").isNumber()).isTrue();
        assertThat(root.path("latencyP99Micros").asDouble()).isPositive();
        assertThat(root.path("allocationRatio").path("series").size()).isPositive();
        assertThat(root.at("/policies/agnosticFifo/jobs").asInt()).isEqualTo(4);
    }

    @Test
    void openbPackedFillsTheFleetUntilTasksNoLongerFit() throws Exception {
        Path json = dir.resolve("packed.json");
        TesseraBench.run(new String[] {"openb", "--nodes", Fixtures.path("nodes.csv").toString(), "--pods",
                Fixtures.path("pods-untimed.csv").toString(), "--json", json.toString(), "--no-progress"});
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("arrivals").asText()).isEqualTo("packed");
        assertThat(root.path("placedFraction").asDouble()).isEqualTo(1.0);
        assertThat(root.at("/allocationRatio/peak").asDouble()).isEqualTo(5.0 / 14);
    }

    @Test
    void rejectsUnknownOptionsAndMissingFiles() {
        assertThatThrownBy(() -> TesseraBench.run(new String[] {"gavel", "--bogus", "1"}))
                .hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> TesseraBench.run(new String[] {"openb", "--nodes", dir.resolve("none.csv").toString(),
                "--pods", "x"})).hasMessageContaining("cannot read");
    }
}
