package dev.tessera.scheduler.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.scheduler.inventory.InventoryClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

/**
 * TESSERA_TLS_RELOAD_PERIOD (1 s here): the files are swapped the way Kubernetes updates a mounted Secret, and the
 * scheduler serves the renewed certificate and trusts the replaced CA without a restart.
 */
@QuarkusTest
@TestProfile(CertificateReloadTest.Reloading.class)
class CertificateReloadTest {

    public static class Reloading implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TlsFixture.class, Map.of("reload-period", "1s")));
        }
    }

    /** What a call ended in; a connection dropped while the server swaps its TLS context is neither answer. */
    enum Outcome { TRUSTED, UNTRUSTED, OTHER }

    @Inject
    @RestClient
    InventoryClient inventory;

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        TestCertificates.Issued before = TlsFixture.scheduler;
        assertThat(eventually(() -> before.certificate().equals(presented()))).isTrue();
        TestCertificates.Issued renewed = TlsFixture.newSchedulerCertificate(TlsFixture.ca);
        TlsFixture.mountSecret(renewed, TlsFixture.ca);
        assertThat(eventually(() -> renewed.certificate().equals(presented()))).as("the renewed certificate is served").isTrue();
    }

    @Test
    void aReplacedCaIsWhatTheInventoryClientTrustsWithoutARestart() throws Exception {
        TestCertificates.Issued serving = TlsFixture.scheduler;
        assertThat(eventually(() -> availability() == Outcome.TRUSTED)).isTrue();
        try {
            TlsFixture.mountSecret(serving, TlsFixture.otherCa);
            assertThat(eventually(() -> availability() == Outcome.UNTRUSTED)).as("the old CA is no longer trusted").isTrue();
            TlsFixture.presentToScheduler(TlsFixture.impostor);
            assertThat(availability()).as("the new CA is").isEqualTo(Outcome.TRUSTED);
        } finally {
            TlsFixture.presentToScheduler(TlsFixture.inventory);
            TlsFixture.mountSecret(serving, TlsFixture.ca);
            assertThat(eventually(() -> availability() == Outcome.TRUSTED)).isTrue();
        }
    }

    /** The certificate the scheduler presents on a new connection; null when the connection failed. */
    private static Certificate presented() {
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(TlsFixture.ca.trustingOnlyThis())
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + TlsFixture.httpsPort + "/q/health/live")).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return answer.sslSession().orElseThrow().getPeerCertificates()[0];
        } catch (java.io.IOException e) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Outcome availability() {
        try {
            Objects.requireNonNull(inventory.availability());
            return Outcome.TRUSTED;
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause instanceof CertPathBuilderException ? Outcome.UNTRUSTED : Outcome.OTHER;
        }
    }

    private static boolean eventually(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
