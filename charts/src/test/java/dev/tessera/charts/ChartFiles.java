package dev.tessera.charts;

import java.nio.file.Path;

/** Where the chart and the files it is compared with sit; surefire runs in the module directory. */
final class ChartFiles {
    static final Path CHART = Path.of("tessera").toAbsolutePath();
    static final Path TEST_RESOURCES = Path.of("src", "test", "resources").toAbsolutePath();
    static final Path TOP_LEVEL_CRDS = Path.of("..", "crds").toAbsolutePath().normalize();
    static final String CRD_FILE = "trainingjobs.tessera.dev-v1.yml";
    static final String RELEASE = "tj";
    static final String NAMESPACE = "tessera-system";

    private ChartFiles() {
    }
}
