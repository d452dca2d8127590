package dev.tessera.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** tls.enabled: the services serve the Secret's certificate over HTTPS only, the callers trust its CA, probes and URLs follow. */
class ChartTlsTest {

    private static final String OPERATOR = RenderedChart.component("operator");
    private static final String SCHEDULER = RenderedChart.component("scheduler");
    private static final String INVENTORY = RenderedChart.component("inventory");
    private static final String SECRET = "tessera-tls";

    @Test
    void offByDefaultNothingChanges() {
        RenderedChart chart = RenderedChart.of(ValueSet.DEFAULTS);
        for (String component : List.of(OPERATOR, SCHEDULER, INVENTORY)) {
            Container c = chart.container(component);
            assertThat(c.getEnv()).as(component).noneMatch(e -> e.getName().startsWith("TESSERA_TLS_"));
            assertThat(pod(chart, component).getVolumes()).as(component).noneMatch(v -> "tls".equals(v.getName()));
            probes(c).forEach(p -> assertThat(p.getHttpGet().getScheme()).as(component).isEqualTo("HTTP"));
        }
        assertThat(env(chart.container(OPERATOR), "TESSERA_SCHEDULER_URL")).startsWith("http://");
        assertThat(env(chart.container(SCHEDULER), "TESSERA_INVENTORY_URL")).startsWith("http://");
        assertThat(chart.one(Service.class, SCHEDULER).getSpec().getPorts().get(0).getAppProtocol()).isNull();
    }

    @Test
    void theServicesServeTheCertificateFromTheSecret() {
        RenderedChart chart = RenderedChart.of(ValueSet.TLS);
        for (String service : List.of(SCHEDULER, INVENTORY)) {
            Container c = chart.container(service);
            String cert = env(c, "TESSERA_TLS_CERT_FILE");
            String key = env(c, "TESSERA_TLS_KEY_FILE");
            assertThat(cert).as(service).isEqualTo("/etc/tessera/tls/tls.crt");
            assertThat(key).as(service).isEqualTo("/etc/tessera/tls/tls.key");
            assertMountedFromSecret(chart, service, cert, "tls.crt");
            assertMountedFromSecret(chart, service, key, "tls.key");
        }
    }

    @Test
    void theCallersTrustTheCaFromTheSecretAndNeverSeeAKeyTheyDoNotNeed() {
        RenderedChart chart = RenderedChart.of(ValueSet.TLS);
        for (String caller : List.of(OPERATOR, SCHEDULER)) {
            String ca = env(chart.container(caller), "TESSERA_TLS_CA_FILE");
            assertThat(ca).as(caller).isEqualTo("/etc/tessera/tls/ca.crt");
            assertMountedFromSecret(chart, caller, ca, "ca.crt");
        }
        // the operator serves no API: its volume holds the CA and nothing else
        assertThat(env(chart.container(OPERATOR), "TESSERA_TLS_CERT_FILE")).isNull();
        assertThat(tlsVolume(chart, OPERATOR).getSecret().getItems()).extracting(KeyToPath::getKey).containsExactly("ca.crt");
        // the inventory service calls no other part
        assertThat(env(chart.container(INVENTORY), "TESSERA_TLS_CA_FILE")).isNull();
        assertThat(tlsVolume(chart, INVENTORY).getSecret().getItems()).extracting(KeyToPath::getKey)
                .containsExactlyInAnyOrder("tls.crt", "tls.key");
    }

    @Test
    void probesOfTheServicesSwitchToHttps() {
        RenderedChart chart = RenderedChart.of(ValueSet.TLS);
        for (String service : List.of(SCHEDULER, INVENTORY)) {
            List<Probe> probes = probes(chart.container(service));
            assertThat(probes).as(service).hasSize(3)
                    .allSatisfy(p -> assertThat(p.getHttpGet().getScheme()).as(service).isEqualTo("HTTPS"));
        }
        // the operator's own health endpoint stays plain HTTP
        probes(chart.container(OPERATOR)).forEach(p -> assertThat(p.getHttpGet().getScheme()).isEqualTo("HTTP"));
    }

    @Test
    void theCallersUseHttpsAndTheServicesSayTheySpeakIt() {
        RenderedChart chart = RenderedChart.of(ValueSet.TLS);
        assertThat(env(chart.container(OPERATOR), "TESSERA_SCHEDULER_URL")).isEqualTo("https://" + SCHEDULER + ":8081");
        assertThat(env(chart.container(SCHEDULER), "TESSERA_INVENTORY_URL")).isEqualTo("https://" + INVENTORY + ":8082");
        for (String service : List.of(SCHEDULER, INVENTORY)) {
            assertThat(chart.one(Service.class, service).getSpec().getPorts()).singleElement()
                    .satisfies(p -> assertThat(p.getAppProtocol()).isEqualTo("https"));
        }
        assertThat(chart.one(Service.class, OPERATOR).getSpec().getPorts().get(0).getAppProtocol()).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheServicesOverHttpsTrustingTheCa() {
        RenderedChart chart = RenderedChart.of(ValueSet.TLS);
        for (String service : List.of(SCHEDULER, INVENTORY)) {
            Map<String, Object> endpoint = endpoint(chart, service);
            assertThat(endpoint).containsEntry("scheme", "https");
            Map<String, Object> tlsConfig = (Map<String, Object>) endpoint.get("tlsConfig");
            assertThat(tlsConfig).containsEntry("serverName", service + "." + ChartFiles.NAMESPACE + ".svc");
            assertThat(tlsConfig.get("ca")).isEqualTo(Map.of("secret", Map.of("name", SECRET, "key", "ca.crt")));
        }
        assertThat(endpoint(chart, OPERATOR)).doesNotContainKeys("scheme", "tlsConfig");
    }

    @Test
    void tlsWithoutASecretIsRefused() {
        assertThatThrownBy(() -> RenderedChart.render(Optional.empty(), t -> t.set("tls.enabled", true)))
                .hasMessageContaining("secretName");
    }

    private static void assertMountedFromSecret(RenderedChart chart, String deployment, String file, String key) {
        Container c = chart.container(deployment);
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(file + " is on no mount of " + deployment));
        assertThat(mount.getReadOnly()).as(deployment).isTrue();
        // a subPath mount would never see a renewed certificate
        assertThat(mount.getSubPath()).as(deployment).isNullOrEmpty();
        Volume volume = pod(chart, deployment).getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        assertThat(volume.getSecret().getSecretName()).as(deployment).isEqualTo(SECRET);
        String path = file.substring(mount.getMountPath().length() + 1);
        assertThat(volume.getSecret().getItems()).as(deployment)
                .anySatisfy(i -> assertThat(List.of(i.getKey(), i.getPath())).containsExactly(key, path));
    }

    private static Volume tlsVolume(RenderedChart chart, String deployment) {
        return pod(chart, deployment).getVolumes().stream().filter(v -> "tls".equals(v.getName())).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endpoint(RenderedChart chart, String name) {
        var monitor = chart.ofKind("ServiceMonitor").stream().filter(m -> name.equals(m.getMetadata().getName()))
                .findFirst().orElseThrow();
        Map<String, Object> asMap = new KubernetesSerialization().convertValue(monitor, Map.class);
        Map<String, Object> spec = (Map<String, Object>) asMap.get("spec");
        return ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
    }

    private static List<Probe> probes(Container c) {
        return List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe());
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst().orElse(null);
    }

    private static PodSpec pod(RenderedChart chart, String deployment) {
        return chart.one(Deployment.class, deployment).getSpec().getTemplate().getSpec();
    }
}
