package dev.tessera.scheduler;

import dev.tessera.scheduler.catalog.CatalogFile;
import dev.tessera.scheduler.catalog.ChipCatalog;
import dev.tessera.scheduler.catalog.DefaultChips;
import dev.tessera.scheduler.engine.PlacementEngine;
import dev.tessera.scheduler.perf.PerformanceModel;
import dev.tessera.scheduler.perf.ThroughputTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Wires the plain-Java catalog, performance model and engine from configuration. */
public class SchedulerBeans {

    private static final Logger LOG = Logger.getLogger(SchedulerBeans.class);

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Defaults overridden by {@code tessera.catalog.file} ({@code TESSERA_CATALOG_FILE}), read once at start. */
    @Produces
    @ApplicationScoped
    ChipCatalog catalog(@ConfigProperty(name = "tessera.catalog.file") Optional<String> file) {
        if (file.isEmpty() || file.get().isBlank()) {
            return new ChipCatalog(DefaultChips.all());
        }
        try {
            ChipCatalog c = CatalogFile.load(Path.of(file.get()), DefaultChips.all());
            LOG.infof("chip catalog: %d models, with overrides from %s", c.models().size(), file.get());
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chip catalog file " + file.get(), e);
        }
    }

    /** Measured throughputs from {@code tessera.throughputs.file} ({@code TESSERA_THROUGHPUTS_FILE}), Gavel's shape. */
    @Produces
    @ApplicationScoped
    PerformanceModel performanceModel(ChipCatalog catalog,
            @ConfigProperty(name = "tessera.throughputs.file") Optional<String> file) {
        ThroughputTable table = ThroughputTable.empty();
        if (file.isPresent() && !file.get().isBlank()) {
            try {
                table = ThroughputTable.load(Path.of(file.get()));
                LOG.infof("measured throughputs read from %s", file.get());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the throughput table " + file.get(), e);
            }
        }
        return new PerformanceModel(catalog, table);
    }

    @Produces
    @ApplicationScoped
    PlacementEngine engine(PerformanceModel model, Clock clock) {
        return new PlacementEngine(model, clock);
    }
}
