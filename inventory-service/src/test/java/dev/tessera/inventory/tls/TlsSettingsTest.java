package dev.tessera.inventory.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TlsSettingsTest {

    @Test
    void nothingSetLeavesQuarkusAlone() {
        assertThat(TlsSettings.properties(null, null)).isEmpty();
    }

    @Test
    void aCertificateAndKeyMeanHttpsOnlyOnTheUsualPort() {
        assertThat(TlsSettings.properties("/tls/tls.crt", "/tls/tls.key"))
                .containsEntry("quarkus.tls.tessera-https.key-store.pem.service.cert", "/tls/tls.crt")
                .containsEntry("quarkus.tls.tessera-https.key-store.pem.service.key", "/tls/tls.key")
                .containsEntry("quarkus.http.tls-configuration-name", "tessera-https")
                .containsEntry("quarkus.http.ssl-port", "${quarkus.http.port}")
                .containsEntry("quarkus.http.insecure-requests", "disabled")
                .containsEntry("quarkus.tls.tessera-https.reload-period", "1h");
        assertThat(TlsSettings.properties("/tls/tls.crt", "/tls/tls.key", "10m"))
                .containsEntry("quarkus.tls.tessera-https.reload-period", "10m");
    }

    @Test
    void aCertificateWithoutItsKeyIsRefused() {
        assertThatThrownBy(() -> TlsSettings.properties("/tls/tls.crt", null)).hasMessageContaining("TESSERA_TLS_KEY_FILE");
        assertThatThrownBy(() -> TlsSettings.properties(null, "/tls/tls.key")).hasMessageContaining("TESSERA_TLS_CERT_FILE");
    }
}
