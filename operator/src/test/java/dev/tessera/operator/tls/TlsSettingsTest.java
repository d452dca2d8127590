package dev.tessera.operator.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TlsSettingsTest {

    @Test
    void noCaLeavesTheDefaultTrust() {
        assertThat(TlsSettings.properties(null)).isEmpty();
    }

    @Test
    void aCaIsWhatTheSchedulerClientTrusts() {
        assertThat(TlsSettings.properties("/tls/ca.crt"))
                .containsEntry("quarkus.tls.tessera-ca.trust-store.pem.certs", "/tls/ca.crt")
                .containsEntry("quarkus.rest-client.scheduler.tls-configuration-name", "tessera-ca")
                .containsEntry("quarkus.tls.tessera-ca.reload-period", "1h")
                .doesNotContainKey("quarkus.http.tls-configuration-name");
        assertThat(TlsSettings.properties("/tls/ca.crt", "10m")).containsEntry("quarkus.tls.tessera-ca.reload-period", "10m");
    }
}
