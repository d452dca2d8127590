package dev.tessera.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.UpgradeCommand;
import dev.tessera.local.kube.LocalKubeApi;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code helm install}, {@code helm upgrade} and {@code helm uninstall} of the chart with Helm itself (helm-java
 * embeds Helm's Go library) against the local suite's embedded Kubernetes API: Helm installs the CRD from the
 * chart's crds/, applies the templates, and keeps its release records as Secrets, which it sends as protobuf.
 * The embedded API serves no OpenAPI document, so Helm's client-side schema check is off, as kubectl's is.
 */
class ChartHelmInstallTest {

    private static final String NAMESPACE = "tessera-helm";
    private static final String RELEASE = "th";

    private static LocalKubeApi api;
    private static Path kubeconfig;

    @BeforeAll
    static void start() throws Exception {
        api = LocalKubeApi.start(0);
        kubeconfig = api.writeKubeconfig(Files.createDirectories(Path.of("target", "helm-install")).resolve("kubeconfig"));
        // helm's --create-namespace checks the Namespace against the OpenAPI document, which the embedded API does not serve
        api.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    /** The evaluation PostgreSQL without a password in values: the chart draws one. */
    private static UpgradeCommand upgrade(UnaryOperator<UpgradeCommand> values) {
        return values.apply(new Helm(ChartFiles.CHART).upgrade().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeConfig(kubeconfig).disableOpenApiValidation()
                .set("postgresql.enabled", "true").set("postgresql.persistence.enabled", "false"));
    }

    private static String databasePassword(KubernetesClient client) {
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(RELEASE + "-tessera-postgresql").get();
        assertThat(secret).as("the evaluation PostgreSQL's Secret").isNotNull();
        return new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8);
    }

    private static String passwordChecksum(KubernetesClient client) {
        Deployment inventory = client.apps().deployments().inNamespace(NAMESPACE).withName(RELEASE + "-tessera-inventory").get();
        assertThat(inventory).as("the inventory Deployment").isNotNull();
        return inventory.getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/database-password");
    }

    private static Map<String, String> releaseRecords(KubernetesClient client) {
        return client.secrets().inNamespace(NAMESPACE).withLabel("owner", "helm").list().getItems().stream()
                .collect(java.util.stream.Collectors.toMap(s -> s.getMetadata().getName(), s -> s.getMetadata().getLabels().get("status")));
    }

    @Test
    void installUpgradeAndUninstallWithHelmKeepTheGeneratedDatabasePassword() {
        KubernetesClient client = api.client();
        Release installed = new Helm(ChartFiles.CHART).install().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeConfig(kubeconfig).disableOpenApiValidation()
                .set("postgresql.enabled", "true").set("postgresql.persistence.enabled", "false").call();
        assertThat(installed.getStatus()).isEqualTo("deployed");
        assertThat(installed.getRevision()).isEqualTo("1");
        // the notes say what the default install still lacks (tokens are checked, none is set up), and label the
        // nodes with a chip model the catalog has
        assertThat(installed.getOutput()).contains("WARNING: tokens are checked (auth.enabled) but not set up")
                .contains("auth.publicKeyLocation (or auth.publicKeySecret.name)", "auth.operator.tokenSecret.name",
                        "auth.scheduler.tokenSecret.name")
                .contains("tessera.dev/chip=h100");
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("trainingjobs.tessera.dev").get())
                .as("Helm installs the CRD from the chart's crds/").isNotNull();
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).list().getItems())
                .extracting(d -> d.getMetadata().getName())
                .contains(RELEASE + "-tessera-operator", RELEASE + "-tessera-scheduler", RELEASE + "-tessera-inventory");
        assertThat(releaseRecords(client)).containsExactly(Map.entry("sh.helm.release.v1." + RELEASE + ".v1", "deployed"));
        String password = databasePassword(client);
        assertThat(password).hasSize(24);
        String checksum = passwordChecksum(client);

        // helm upgrade reads the password back through lookup, so the database and its clients keep it
        Release upgraded = upgrade(u -> u).call();
        assertThat(upgraded.getRevision()).isEqualTo("2");
        assertThat(databasePassword(client)).isEqualTo(password);
        assertThat(passwordChecksum(client)).as("the pods that read the password are not restarted").isEqualTo(checksum);
        assertThat(releaseRecords(client)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "sh.helm.release.v1." + RELEASE + ".v1", "superseded", "sh.helm.release.v1." + RELEASE + ".v2", "deployed"));

        // a password set in values wins, and its checksum restarts the pods that read it
        Release chosen = upgrade(u -> u.set("postgresql.password", "chosen-by-the-admin")
                .set("auth.publicKeySecret.name", "tessera-jwt").set("auth.operator.tokenSecret.name", "tessera-operator-token")
                .set("auth.scheduler.tokenSecret.name", "tessera-scheduler-token")).call();
        assertThat(chosen.getRevision()).isEqualTo("3");
        assertThat(chosen.getOutput()).as("tokens set up: no warning").doesNotContain("WARNING");
        assertThat(databasePassword(client)).isEqualTo("chosen-by-the-admin");
        assertThat(passwordChecksum(client)).isNotEqualTo(checksum);

        String uninstalled = Helm.uninstall(RELEASE).withNamespace(NAMESPACE).withKubeConfig(kubeconfig).call();
        assertThat(uninstalled).contains(RELEASE);
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(releaseRecords(client)).isEmpty();
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("trainingjobs.tessera.dev").get())
                .as("Helm leaves CRDs (and so every TrainingJob) in place on uninstall").isNotNull();
    }
}
