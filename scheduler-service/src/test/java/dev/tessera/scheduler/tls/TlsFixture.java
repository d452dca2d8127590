package dev.tessera.scheduler.tls;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Fresh certificates for one test run: the scheduler's own (signed by {@link #ca}), an HTTPS inventory stub
 * that presents a certificate of that CA or, when a test switches it, one of {@link #otherCa}. The scheduler reads
 * its files the way a pod reads a mounted Secret: {@code tls/tls.crt}, {@code tls/tls.key}, {@code tls/ca.crt}, where
 * {@code tls} is a symbolic link that a renewal swaps in one step.
 */
public class TlsFixture implements QuarkusTestResourceLifecycleManager {

    static TestCertificates.Authority ca;
    static TestCertificates.Authority otherCa;
    /** The certificate the scheduler was last given. */
    static volatile TestCertificates.Issued scheduler;
    static TestCertificates.Issued inventory;
    static TestCertificates.Issued impostor;
    static int httpsPort;
    static int plainPort;
    static HttpsServer inventoryStub;
    private static Path dir;
    private String reloadPeriod;
    private static int secretVersion;

    /** {@code reload-period}: how often the scheduler reads its TLS files again (its default when not given). */
    @Override
    public void init(Map<String, String> initArgs) {
        reloadPeriod = initArgs.get("reload-period");
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "tls-test")), "certs").toAbsolutePath();
            ca = TestCertificates.authority(dir, "tessera-test-ca");
            otherCa = TestCertificates.authority(dir, "other-ca");
            mountSecret(ca.issueServer(dir, "scheduler"), ca);
            inventory = ca.issueServer(dir, "inventory");
            impostor = otherCa.issueServer(dir, "impostor");
            presentToScheduler(inventory);
            httpsPort = freePort();
            plainPort = freePort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the test certificates", e);
        }
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "tessera.tls.cert-file", dir.resolve("tls/tls.crt").toString(),
                "tessera.tls.key-file", dir.resolve("tls/tls.key").toString(),
                "tessera.tls.ca-file", dir.resolve("tls/ca.crt").toString(),
                "quarkus.http.test-ssl-port", String.valueOf(httpsPort),
                // a plain port that would be opened if plain HTTP were still served
                "quarkus.http.test-port", String.valueOf(plainPort),
                "quarkus.rest-client.inventory.url", "https://localhost:" + inventoryStub.getAddress().getPort()));
        if (reloadPeriod != null) {
            config.put("tessera.tls.reload-period", reloadPeriod);
        }
        return config;
    }

    /** Gives the scheduler a new certificate and CA file at once, as Kubernetes updates a mounted Secret. */
    static synchronized void mountSecret(TestCertificates.Issued certificate, TestCertificates.Authority trusted)
            throws IOException {
        Path version = dir.resolve("secret-" + ++secretVersion);
        Files.createDirectories(version);
        Files.copy(certificate.certFile(), version.resolve("tls.crt"));
        Files.copy(certificate.keyFile(), version.resolve("tls.key"));
        Files.copy(trusted.caFile(), version.resolve("ca.crt"));
        Path link = dir.resolve("tls.next");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, version.getFileName());
        Files.move(link, dir.resolve("tls"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        scheduler = certificate;
    }

    /** A new certificate for the scheduler from {@code issuer}. */
    static TestCertificates.Issued newSchedulerCertificate(TestCertificates.Authority issuer) throws Exception {
        return issuer.issueServer(dir, "scheduler-" + (secretVersion + 1));
    }

    /**
     * Restarts the inventory stub on the same port presenting {@code certificate}: a new server with a new TLS
     * context, so no TLS session of the previous one can be resumed and every client sees this certificate.
     */
    static synchronized void presentToScheduler(TestCertificates.Issued certificate) throws Exception {
        int port = 0;
        if (inventoryStub != null) {
            port = inventoryStub.getAddress().getPort();
            inventoryStub.stop(0);
        }
        inventoryStub = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        inventoryStub.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.Authority.serving(certificate)));
        inventoryStub.createContext("/api/v1/availability", exchange -> {
            byte[] body = "{\"quotas\":[],\"deliveries\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            // no kept-alive connection: each call shakes hands again
            exchange.getResponseHeaders().add("Connection", "close");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        inventoryStub.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        if (inventoryStub != null) {
            inventoryStub.stop(0);
        }
    }
}
