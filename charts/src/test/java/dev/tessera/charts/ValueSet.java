package dev.tessera.charts;

import java.nio.file.Path;
import java.util.Optional;

/** The value sets the chart is rendered with: the defaults and the installations users are expected to run. */
enum ValueSet {
    DEFAULTS(null),
    HIGH_AVAILABILITY("values/ha.yaml"),
    EXTERNAL_DATABASE("values/external-db.yaml"),
    EVALUATION_DATABASE("values/evaluation-db.yaml"),
    MONITORED("values/monitored.yaml"),
    TLS("values/tls.yaml");

    private final String resource;

    ValueSet(String resource) {
        this.resource = resource;
    }

    Optional<Path> file() {
        return Optional.ofNullable(resource).map(r -> ChartFiles.TEST_RESOURCES.resolve(r));
    }
}
