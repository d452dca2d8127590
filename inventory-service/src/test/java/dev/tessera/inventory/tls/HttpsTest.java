package dev.tessera.inventory.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.inventory.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The inventory service given a certificate (TESSERA_TLS_CERT_FILE / _KEY_FILE) made fresh for this run serves HTTPS only. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@TestProfile(HttpsTest.Tls.class)
class HttpsTest {

    static TestCertificates.Authority ca;
    static TestCertificates.Authority otherCa;
    static TestCertificates.Issued inventory;
    static int httpsPort;
    static int plainPort;

    public static class Tls implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Certificates.class));
        }
    }

    /** A CA, a certificate it signs for localhost, and another CA that signed nothing here. */
    public static class Certificates implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "tls-test")), "certs");
                ca = TestCertificates.authority(dir, "tessera-test-ca");
                otherCa = TestCertificates.authority(dir, "other-ca");
                inventory = ca.issueServer(dir, "inventory");
                httpsPort = freePort();
                plainPort = freePort();
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up the test certificates", e);
            }
            return Map.of(
                    "tessera.tls.cert-file", inventory.certFile().toString(),
                    "tessera.tls.key-file", inventory.keyFile().toString(),
                    "quarkus.http.test-ssl-port", String.valueOf(httpsPort),
                    // a plain port that would be opened if plain HTTP were still served
                    "quarkus.http.test-port", String.valueOf(plainPort));
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void servesItsApiOverHttpsWithTheConfiguredCertificate() throws Exception {
        HttpClient client = client(ca.trustingOnlyThis());
        HttpResponse<String> health = client.send(get("/q/health/ready").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.sslSession().orElseThrow().getPeerCertificates()[0]).isEqualTo(inventory.certificate());
        // token checks are off in the test profile: this is about the transport
        HttpResponse<String> sites = client.send(get("/api/v1/chip-models").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sites.statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatTrustsAnotherCaRefusesTheService() throws Exception {
        HttpClient client = client(otherCa.trustingOnlyThis());
        assertThatThrownBy(() -> client.send(get("/q/health/live").build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpIsNotServed() throws Exception {
        // the plain port Quarkus would open stays closed
        assertThatThrownBy(() -> new Socket("127.0.0.1", plainPort).close()).isInstanceOf(ConnectException.class);
        // and plain HTTP sent to the HTTPS port gets no HTTP answer
        assertThat(plainRequest(httpsPort)).doesNotStartWith("HTTP/");
    }

    private static HttpClient client(SSLContext trust) {
        return HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + path)).timeout(Duration.ofSeconds(10)).GET();
    }

    /** What a plain HTTP/1.1 request to the port gets back (empty when the server just closes). */
    private static String plainRequest(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
