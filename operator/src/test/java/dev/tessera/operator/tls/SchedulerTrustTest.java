package dev.tessera.operator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tessera.operator.scheduler.SchedulerApi;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator given TESSERA_TLS_CA_FILE reaches an HTTPS scheduler whose certificate that CA signed, and refuses
 * one signed by another CA. Certificates are made fresh for this run.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(SchedulerTrustTest.Tls.class)
class SchedulerTrustTest {

    static TestCertificates.Authority ca;
    static TestCertificates.Issued scheduler;
    static TestCertificates.Issued impostor;
    static HttpsServer stub;

    public static class Tls implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(HttpsScheduler.class));
        }
    }

    /** An HTTPS stand-in for the scheduler that answers every call with 200 and a one-chip catalog. */
    public static class HttpsScheduler implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "tls-test")), "certs");
                ca = TestCertificates.authority(dir, "tessera-test-ca");
                scheduler = ca.issueServer(dir, "scheduler");
                impostor = TestCertificates.authority(dir, "other-ca").issueServer(dir, "impostor");
                present(scheduler);
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up the test certificates", e);
            }
            return Map.of("tessera.tls.ca-file", ca.caFile().toString(),
                    "quarkus.rest-client.scheduler.url", "https://localhost:" + stub.getAddress().getPort());
        }

        @Override
        public void stop() {
            stub.stop(0);
        }
    }

    /**
     * Restarts the stub on the same port presenting {@code certificate}: a new server with a new TLS context, so no
     * TLS session of the previous one can be resumed.
     */
    static synchronized void present(TestCertificates.Issued certificate) throws Exception {
        int port = 0;
        if (stub != null) {
            port = stub.getAddress().getPort();
            stub.stop(0);
        }
        stub = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        stub.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.Authority.serving(certificate)));
        stub.createContext("/api/v1/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = (exchange.getRequestURI().getPath().endsWith("/catalog")
                    ? "[{\"id\":\"h800\",\"resourceName\":\"nvidia.com/gpu\",\"aliases\":[]}]"
                    : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            // no kept-alive connection: each call shakes hands again
            exchange.getResponseHeaders().add("Connection", "close");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        stub.start();
    }

    @Inject
    @RestClient
    SchedulerApi api;

    @AfterEach
    void theSchedulerShowsItsRealCertificateAgain() throws Exception {
        present(scheduler);
    }

    @Test
    void theSchedulerClientTrustsTheConfiguredCa() {
        try (Response catalog = api.catalog()) {
            assertThat(catalog.getStatus()).isEqualTo(200);
            assertThat(catalog.readEntity(String.class)).contains("\"h800\"");
        }
    }

    @Test
    void theSchedulerClientRefusesASchedulerSignedByAnotherCa() throws Exception {
        present(impostor);
        assertThatThrownBy(() -> api.catalog().close()).hasRootCauseInstanceOf(CertPathBuilderException.class);
    }
}
