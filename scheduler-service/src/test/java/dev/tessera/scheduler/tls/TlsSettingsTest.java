package dev.tessera.scheduler.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TlsSettingsTest {

    @Test
    void nothingSetLeavesQuarkusAlone() {
        assertThat(TlsSettings.properties(null, null, null)).isEmpty();
    }

    @Test
    void aCertificateAndKeyMeanHttpsOnlyOnTheUsualPort() {
        assertThat(TlsSettings.properties("/tls/tls.crt", "/tls/tls.key", null))
                .containsEntry("quarkus.tls.tessera-https.key-store.pem.service.cert", "/tls/tls.crt")
                .containsEntry("quarkus.tls.tessera-https.key-store.pem.service.key", "/tls/tls.key")
                .containsEntry("quarkus.http.tls-configuration-name", "tessera-https")
                .containsEntry("quarkus.http.ssl-port", "${quarkus.http.port}")
                .containsEntry("quarkus.http.insecure-requests", "disabled")
                .containsEntry("quarkus.tls.tessera-https.reload-period", "1h")
                .doesNotContainKey("quarkus.rest-client.inventory.tls-configuration-name");
    }

    @Test
    void theFilesAreReadAgainAtTheConfiguredPeriod() {
        assertThat(TlsSettings.properties("/tls/tls.crt", "/tls/tls.key", "/tls/ca.crt", "10m"))
                .containsEntry("quarkus.tls.tessera-https.reload-period", "10m")
                .containsEntry("quarkus.tls.tessera-ca.reload-period", "10m");
    }

    @Test
    void aCaIsWhatTheInventoryClientTrusts() {
        assertThat(TlsSettings.properties(null, null, "/tls/ca.crt"))
                .containsEntry("quarkus.tls.tessera-ca.trust-store.pem.certs", "/tls/ca.crt")
                .containsEntry("quarkus.rest-client.inventory.tls-configuration-name", "tessera-ca")
                .containsEntry("quarkus.tls.tessera-ca.reload-period", "1h")
                .doesNotContainKey("quarkus.http.tls-configuration-name");
    }

    @Test
    void aCertificateWithoutItsKeyIsRefused() {
        assertThatThrownBy(() -> TlsSettings.properties("/tls/tls.crt", null, null))
                .hasMessageContaining("TESSERA_TLS_KEY_FILE");
        assertThatThrownBy(() -> TlsSettings.properties(null, "/tls/tls.key", null))
                .hasMessageContaining("TESSERA_TLS_CERT_FILE");
    }
}
