package dev.tessera.bench.engine;

import dev.tessera.scheduler.catalog.CatalogFile;
import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.catalog.DefaultChips;
import dev.tessera.scheduler.engine.PlacementEngine;
import dev.tessera.scheduler.perf.PerformanceModel;
import dev.tessera.scheduler.perf.ThroughputTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Builds the production engine with the production performance model, configured only through
 * the options the scheduler service has too: a measured throughput table and a catalog override.
 */
public final class TesseraEngines {

    private TesseraEngines() {
    }

    /** The default catalog plus a throughput table in Gavel's format (the service's measured table). */
    public static PlacementEngine withMeasuredThroughputs(Path throughputs, Clock clock) throws IOException {
        return new PlacementEngine(new PerformanceModel(new ChipCatalog(DefaultChips.all()), ThroughputTable.load(throughputs)),
                clock);
    }

    /** The default catalog merged with a catalog override from the classpath, no measured table. */
    public static PlacementEngine withCatalogOverride(String resource, Clock clock) {
        try (InputStream in = TesseraEngines.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            ChipCatalog catalog = CatalogFile.merge(DefaultChips.all(), CatalogFile.read(in));
            return new PlacementEngine(new PerformanceModel(catalog, ThroughputTable.empty()), clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
