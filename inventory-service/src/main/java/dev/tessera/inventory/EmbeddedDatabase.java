package dev.tessera.inventory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The zero-setup mode: a real PostgreSQL server from the classpath, keeping its data in
 * {@code TESSERA_INVENTORY_DATA_DIR} (default {@code .tessera-local/inventory-db} under the working
 * directory) so stock survives restarts. Skipped when {@code QUARKUS_DATASOURCE_JDBC_URL} is set.
 */
final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";

    private EmbeddedDatabase() {
    }

    static void startUnlessConfigured() throws IOException {
        if (System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null || System.getProperty(URL_PROPERTY) != null) {
            return;
        }
        Path dir = Path.of(setting("TESSERA_INVENTORY_DATA_DIR", "tessera.inventory.data-dir",
                ".tessera-local/inventory-db")).toAbsolutePath();
        Files.createDirectories(dir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("data"))
                .setOverrideWorkingDirectory(dir.resolve("runtime").toFile())
                .setCleanDataDirectory(false)
                // A system of record: a commit is on disk before the client hears of it.
                .setServerConfig("synchronous_commit", "on")
                .start();
        String url = pg.getJdbcUrl("postgres", "postgres");
        System.setProperty(URL_PROPERTY, url.substring(0, url.indexOf('?')));
        System.setProperty("quarkus.datasource.username", "postgres");
        System.setProperty("quarkus.datasource.password", "");
        LOG.infof("embedded PostgreSQL on port %d, data in %s", pg.getPort(), dir);
    }

    private static String setting(String env, String property, String fallback) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) {
            v = System.getProperty(property);
        }
        return v == null || v.isBlank() ? fallback : v;
    }
}
