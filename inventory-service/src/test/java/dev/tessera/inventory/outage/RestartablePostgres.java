package dev.tessera.inventory.outage;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real PostgreSQL that a test can stop and start again on the same port with the same data, as an
 * operator restarting the database server would; its own data directory under {@code target/}.
 */
public class RestartablePostgres implements QuarkusTestResourceLifecycleManager {

    private static final Path DIR = Path.of("target/restartable-pg");
    private static int port;
    private static EmbeddedPostgres pg;

    @Override
    public Map<String, String> start() {
        try {
            if (Files.exists(DIR)) {
                try (Stream<Path> paths = Files.walk(DIR)) {
                    paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            startServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "");
    }

    @Override
    public void stop() {
        stopServer();
    }

    static synchronized void startServer() throws IOException {
        if (pg == null) {
            pg = EmbeddedPostgres.builder().setPort(port)
                    .setOverrideWorkingDirectory(Files.createDirectories(DIR.resolve("work")).toFile())
                    .setDataDirectory(Files.createDirectories(DIR.resolve("data")))
                    .setCleanDataDirectory(false)
                    .start();
        }
    }

    static synchronized void stopServer() {
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                pg = null;
            }
        }
    }
}
