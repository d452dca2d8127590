package dev.tessera.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Token checks are on by default; the services find the verification key and their own tokens where they read them. */
class ChartAuthTest {

    private static final String OPERATOR = RenderedChart.component("operator");
    private static final String SCHEDULER = RenderedChart.component("scheduler");
    private static final String INVENTORY = RenderedChart.component("inventory");

    private static final RenderedChart WITH_SECRETS = RenderedChart.render(Optional.empty(), t -> t
            .set("auth.issuer", "https://idp.example.com/realms/tessera")
            .set("auth.publicKeySecret.name", "tessera-jwt")
            .set("auth.operator.tokenSecret.name", "operator-token")
            .set("auth.scheduler.tokenSecret.name", "scheduler-token"));

    @Test
    void checksAreOnByDefaultInTheServicesThatVerify() {
        RenderedChart chart = RenderedChart.of(ValueSet.DEFAULTS);
        for (String service : List.of(SCHEDULER, INVENTORY)) {
            Container c = chart.container(service);
            assertThat(env(c, "TESSERA_AUTH_ENABLED")).as(service).isEqualTo("true");
            assertThat(env(c, "TESSERA_JWT_ISSUER")).as(service).isEqualTo("https://tessera.local");
        }
        // the operator serves no API of its own to protect; no token is sent until a Secret is named
        assertThat(env(chart.container(OPERATOR), "TESSERA_AUTH_ENABLED")).isNull();
        for (String service : List.of(OPERATOR, SCHEDULER, INVENTORY)) {
            assertThat(env(chart.container(service), "TESSERA_TOKEN_FILE")).as(service).isNull();
        }
    }

    @Test
    void thePublicKeyFromASecretIsMountedWhereTheVerifiersReadIt() {
        for (String service : List.of(SCHEDULER, INVENTORY)) {
            Container c = WITH_SECRETS.container(service);
            assertThat(env(c, "TESSERA_JWT_ISSUER")).isEqualTo("https://idp.example.com/realms/tessera");
            String location = env(c, "TESSERA_JWT_PUBLIC_KEY_LOCATION");
            assertThat(location).as(service).isEqualTo("/etc/tessera/jwt/public-key.pem");
            Volume volume = volumeAt(WITH_SECRETS, service, location);
            assertThat(volume.getSecret().getSecretName()).isEqualTo("tessera-jwt");
            assertThat(volume.getSecret().getItems()).singleElement()
                    .satisfies(i -> assertThat(i.getKey()).isEqualTo("public-key.pem"));
        }
        assertThat(env(WITH_SECRETS.container(OPERATOR), "TESSERA_JWT_PUBLIC_KEY_LOCATION")).isNull();
    }

    @Test
    void eachCallerGetsItsOwnTokenAsARotatableFile() {
        assertOwnToken(OPERATOR, "operator-token");
        assertOwnToken(SCHEDULER, "scheduler-token");
        // the inventory service calls no other part
        assertThat(env(WITH_SECRETS.container(INVENTORY), "TESSERA_TOKEN_FILE")).isNull();
        assertThat(pod(WITH_SECRETS, INVENTORY).getVolumes()).noneMatch(v -> v.getSecret() != null
                && v.getSecret().getSecretName().endsWith("-token"));
    }

    @Test
    void aJwksUrlTakesPrecedenceAndNeedsNoMount() {
        RenderedChart chart = RenderedChart.render(Optional.empty(), t -> t
                .set("auth.publicKeyLocation", "https://idp.example.com/certs")
                .set("auth.publicKeySecret.name", "tessera-jwt"));
        for (String service : List.of(SCHEDULER, INVENTORY)) {
            assertThat(env(chart.container(service), "TESSERA_JWT_PUBLIC_KEY_LOCATION"))
                    .isEqualTo("https://idp.example.com/certs");
            assertThat(pod(chart, service).getVolumes()).noneMatch(v -> v.getSecret() != null);
        }
    }

    @Test
    void checksCanBeTurnedOffForDevelopment() {
        RenderedChart chart = RenderedChart.render(Optional.empty(), t -> t.set("auth.enabled", false));
        assertThat(env(chart.container(SCHEDULER), "TESSERA_AUTH_ENABLED")).isEqualTo("false");
        assertThat(env(chart.container(INVENTORY), "TESSERA_AUTH_ENABLED")).isEqualTo("false");
    }

    @Test
    void aKeyLocationThatIsNotAUrlIsRefused() {
        assertThatThrownBy(() -> RenderedChart.render(Optional.empty(), t -> t
                .set("auth.publicKeyLocation", "file:///etc/keys.pem")))
                .hasMessageContaining("publicKeyLocation");
    }

    private static void assertOwnToken(String service, String secret) {
        Container c = WITH_SECRETS.container(service);
        String file = env(c, "TESSERA_TOKEN_FILE");
        assertThat(file).as(service).isEqualTo("/etc/tessera/token/token");
        VolumeMount mount = mountOf(c, file);
        // a subPath mount would keep the old token after the Secret rotates
        assertThat(mount.getSubPath()).isNullOrEmpty();
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(volumeAt(WITH_SECRETS, service, file).getSecret().getSecretName()).isEqualTo(secret);
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst().orElse(null);
    }

    private static PodSpec pod(RenderedChart chart, String deployment) {
        return chart.one(Deployment.class, deployment).getSpec().getTemplate().getSpec();
    }

    private static VolumeMount mountOf(Container c, String file) {
        return c.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(file + " is on no mount of " + c.getName()));
    }

    private static Volume volumeAt(RenderedChart chart, String deployment, String file) {
        String name = mountOf(chart.container(deployment), file).getName();
        return pod(chart, deployment).getVolumes().stream().filter(v -> name.equals(v.getName())).findFirst()
                .orElseThrow();
    }
}
