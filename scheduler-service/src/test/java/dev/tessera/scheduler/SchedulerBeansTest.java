package dev.tessera.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.engine.Communication;
import dev.tessera.scheduler.engine.Workload;
import dev.tessera.scheduler.perf.PerformanceModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files named by TESSERA_CATALOG_FILE and TESSERA_THROUGHPUTS_FILE change the service without a rebuild. */
class SchedulerBeansTest {

    final SchedulerBeans beans = new SchedulerBeans();

    @Test
    void theCatalogFileOverridesDefaultsAtStart(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("catalog.yaml");
        Files.writeString(file, "chips:\n  - id: h800\n    interconnectGBps: 200\n");
        ChipCatalog overridden = beans.catalog(Optional.of(file.toString()));
        ChipCatalog defaults = beans.catalog(Optional.empty());
        assertThat(overridden.find("h800").orElseThrow().interconnectGBps()).isEqualTo(200);
        assertThat(defaults.find("h800").orElseThrow().interconnectGBps()).isEqualTo(400);

        Workload heavy = new Workload(null, Communication.HIGH, 7, 0);
        double slower = beans.performanceModel(overridden, Optional.empty()).shardThroughput(heavy, "h800", 8, 8);
        double usual = beans.performanceModel(defaults, Optional.empty()).shardThroughput(heavy, "h800", 8, 8);
        assertThat(slower).isLessThan(usual);
    }

    @Test
    void aMissingFileStopsTheStartInsteadOfRunningOnDefaults() {
        assertThatThrownBy(() -> beans.catalog(Optional.of("/nonexistent/catalog.yaml"))).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> beans.performanceModel(beans.catalog(Optional.empty()), Optional.of("/nonexistent/t.json")))
                .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void theThroughputFileIsUsedForItsProfiles() {
        Path gavel = Path.of("..", "..", "shared", "datasets", "gavel", "simulation_throughputs.json");
        assumeTrue(Files.exists(gavel), "the Gavel data set is not next to the repository");
        ChipCatalog catalog = beans.catalog(Optional.empty());
        PerformanceModel measured = beans.performanceModel(catalog, Optional.of(gavel.toString()));
        Workload lm = new Workload("LM (batch size 20)", Communication.MEDIUM, 0, 0);
        double k80 = measured.shardThroughput(lm, "k80", 1, 1);
        double analytic = beans.performanceModel(catalog, Optional.empty()).shardThroughput(lm, "k80", 1, 1);
        assertThat(k80).isPositive().isNotEqualTo(analytic);
    }
}
