package dev.tessera.scheduler.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.scheduler.inventory.Availability;
import dev.tessera.scheduler.inventory.InventoryClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler given a certificate (TESSERA_TLS_CERT_FILE / _KEY_FILE) and a CA (TESSERA_TLS_CA_FILE), all made
 * fresh for this run: it serves HTTPS only, and its inventory client trusts that CA and no other.
 */
@QuarkusTest
@TestProfile(HttpsTest.Tls.class)
class HttpsTest {

    public static class Tls implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TlsFixture.class));
        }
    }

    @Inject
    @RestClient
    InventoryClient inventory;

    @AfterEach
    void inventoryShowsItsRealCertificateAgain() throws Exception {
        TlsFixture.presentToScheduler(TlsFixture.inventory);
    }

    @Test
    void servesItsApiOverHttpsWithTheConfiguredCertificate() throws Exception {
        HttpClient client = client(TlsFixture.ca.trustingOnlyThis());
        HttpResponse<String> health = client.send(get("/q/health/live").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.sslSession().orElseThrow().getPeerCertificates()[0]).isEqualTo(TlsFixture.scheduler.certificate());
        String token = Jwt.issuer("https://tessera.local").subject("tls-test").groups(Set.of("viewer")).expiresIn(600).sign();
        HttpResponse<String> catalog = client.send(get("/api/v1/catalog").header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(catalog.statusCode()).isEqualTo(200);
        assertThat(catalog.body()).contains("\"h800\"");
    }

    @Test
    void aClientThatTrustsAnotherCaRefusesTheScheduler() throws Exception {
        HttpClient client = client(TlsFixture.otherCa.trustingOnlyThis());
        assertThatThrownBy(() -> client.send(get("/q/health/live").build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpIsNotServed() throws Exception {
        // the plain port Quarkus would open stays closed
        assertThatThrownBy(() -> new Socket("127.0.0.1", TlsFixture.plainPort).close()).isInstanceOf(ConnectException.class);
        // and plain HTTP sent to the HTTPS port gets no HTTP answer
        assertThat(plainRequest(TlsFixture.httpsPort)).doesNotStartWith("HTTP/");
    }

    @Test
    void theInventoryClientTrustsTheConfiguredCa() {
        Availability availability = inventory.availability();
        assertThat(availability.quotas()).isEmpty();
    }

    @Test
    void theInventoryClientRefusesAnInventorySignedByAnotherCa() throws Exception {
        TlsFixture.presentToScheduler(TlsFixture.impostor);
        assertThatThrownBy(() -> inventory.availability()).hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
    }

    private static HttpClient client(SSLContext trust) {
        return HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + TlsFixture.httpsPort + path))
                .timeout(Duration.ofSeconds(10)).GET();
    }

    /** What a plain HTTP/1.1 request to the port gets back (empty when the server just closes). */
    private static String plainRequest(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException e) {
            return "";
        }
    }
}
