package dev.tessera.local.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A real PostgreSQL server for the inventory service, from Maven (no install, no container).
 * {@code main(port, directory)}: data and binaries live under the directory, so a restart keeps the data.
 */
public final class LocalPostgres {

    private LocalPostgres() {
    }

    public static EmbeddedPostgres start(int port, Path directory) throws IOException {
        Path data = Files.createDirectories(directory.resolve("data"));
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setOverrideWorkingDirectory(Files.createDirectories(directory.resolve("work")).toFile())
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .start();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 5432;
        Path directory = Path.of(args.length > 1 ? args[1] : ".tessera-local/postgres");
        EmbeddedPostgres postgres = start(port, directory);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
            stopped.countDown();
        }, "shutdown"));
        System.out.println("PostgreSQL ready at jdbc:postgresql://127.0.0.1:" + port + "/postgres (user postgres)");
        System.out.flush();
        stopped.await();
    }
}
