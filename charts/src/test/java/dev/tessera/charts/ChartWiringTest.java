package dev.tessera.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The parts find each other, their configuration and their database the way the services read it. */
class ChartWiringTest {

    private static final String OPERATOR = RenderedChart.component("operator");
    private static final String SCHEDULER = RenderedChart.component("scheduler");
    private static final String INVENTORY = RenderedChart.component("inventory");
    private static final String POSTGRESQL = RenderedChart.component("postgresql");

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void servicesReachTheirPodsOnTheDesignPorts(ValueSet values) {
        RenderedChart chart = RenderedChart.of(values);
        Map<String, Integer> ports = Map.of(OPERATOR, 8080, SCHEDULER, 8081, INVENTORY, 8082);
        ports.forEach((name, port) -> {
            Service service = chart.one(Service.class, name);
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).isEqualTo(port);
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
            PodTemplateSpec pods = chart.podTemplates().get(name);
            assertThat(pods.getMetadata().getLabels()).as(name).containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(selects(chart.one(Deployment.class, name).getSpec().getSelector(), pods)).isTrue();
            // no other workload's pods may sit behind this Service
            chart.podTemplates().forEach((other, otherPods) -> {
                if (!other.equals(name)) {
                    assertThat(otherPods.getMetadata().getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet()))
                            .as(other + " behind " + name).isFalse();
                }
            });
        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void thePartsAreToldWhereTheOthersAre(ValueSet values) {
        RenderedChart chart = RenderedChart.of(values);
        String scheme = values == ValueSet.TLS ? "https" : "http";
        assertThat(env(chart.container(OPERATOR), "TESSERA_SCHEDULER_URL")).isEqualTo(scheme + "://" + SCHEDULER + ":8081");
        assertThat(env(chart.container(SCHEDULER), "TESSERA_INVENTORY_URL")).isEqualTo(scheme + "://" + INVENTORY + ":8082");
        assertThat(chart.find(Service.class, SCHEDULER)).isPresent();
        assertThat(chart.find(Service.class, INVENTORY)).isPresent();
        // the chart owns the CRD; the operator must not install it
        assertThat(env(chart.container(OPERATOR), "QUARKUS_OPERATOR_SDK_CRD_APPLY")).isEqualTo("false");
        assertThat(env(chart.container(OPERATOR), "TESSERA_OPERATOR_WORKER_START_DEFERRAL")).isEqualTo("10s");
    }

    @Test
    void imagesComeFromTheConfiguredRegistryAndTag() {
        assertThat(RenderedChart.of(ValueSet.DEFAULTS).container(SCHEDULER).getImage())
                .isEqualTo("tessera/scheduler-service:0.1.0");
        RenderedChart ha = RenderedChart.of(ValueSet.HIGH_AVAILABILITY);
        assertThat(ha.container(OPERATOR).getImage()).isEqualTo("registry.example.com/platform/tessera/operator:1.2.3");
        assertThat(ha.container(INVENTORY).getImage()).isEqualTo("registry.example.com/platform/tessera/inventory-service:1.2.3");
        assertThat(ha.one(Deployment.class, OPERATOR).getSpec().getTemplate().getSpec().getImagePullSecrets())
                .extracting(r -> r.getName()).containsExactly("registry-credentials");
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void theCatalogConfigMapHoldsTheCatalogFromValuesAndIsMountedWhereTheSchedulerReadsIt(ValueSet values) {
        RenderedChart chart = RenderedChart.of(values);
        ConfigMap catalog = chart.one(ConfigMap.class, SCHEDULER + "-catalog");
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> parsed = new KubernetesSerialization().unmarshal(catalog.getData().get("catalog.yaml"), Map.class);
        List<Map<String, Object>> chips = parsed.get("chips");
        List<Object> ids = chips.stream().map(c -> c.get("id")).toList();
        if (values == ValueSet.EVALUATION_DATABASE) {
            assertThat(ids).containsExactly("a800", "ascend-910b");
        } else {
            assertThat(ids).contains("h100", "h800", "a100", "a800", "v100", "ascend-910b").doesNotHaveDuplicates();
        }
        Map<String, Object> a800 = chips.stream().filter(c -> "a800".equals(c.get("id"))).findFirst().orElseThrow();
        assertThat(a800).containsKeys("vendor", "name", "bf16Tflops", "memoryGiB", "memoryBandwidthGBps",
                "interconnectGBps", "resourceName", "aliases", "chipsPerNode", "confidence");
        assertThat(((Number) a800.get("interconnectGBps")).intValue()).isEqualTo(400);

        Container scheduler = chart.container(SCHEDULER);
        String file = env(scheduler, "TESSERA_CATALOG_FILE");
        String volume = mountedVolume(scheduler, file);
        Volume catalogVolume = chart.one(Deployment.class, SCHEDULER).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(volume)).findFirst().orElseThrow();
        assertThat(catalogVolume.getConfigMap().getName()).isEqualTo(catalog.getMetadata().getName());
        assertThat(file).endsWith("/catalog.yaml");
        // a changed catalog must restart the scheduler, which reads it only at start
        assertThat(chart.one(Deployment.class, SCHEDULER).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("checksum/catalog");
    }

    /** The scheduler applies catalog entries over its built-in models by id, so one changed figure is a valid catalog. */
    @Test
    void aTeamMayOverrideASingleFigure() {
        RenderedChart chart = RenderedChart.render(Optional.empty(), t -> t
                .set("catalog.chips[0].id", "h800").set("catalog.chips[0].interconnectGBps", 350));
        String catalog = chart.one(ConfigMap.class, SCHEDULER + "-catalog").getData().get("catalog.yaml");
        assertThat(catalog).isEqualToIgnoringWhitespace("chips: - id: h800 interconnectGBps: 350");
    }

    @Test
    void aThroughputTableFromValuesIsMountedOnlyWhenGiven() {
        assertThat(envOrNull(RenderedChart.of(ValueSet.DEFAULTS).container(SCHEDULER), "TESSERA_THROUGHPUTS_FILE")).isNull();

        RenderedChart chart = RenderedChart.of(ValueSet.MONITORED);
        ConfigMap table = chart.one(ConfigMap.class, SCHEDULER + "-throughputs");
        assertThat(table.getData().get("throughputs.json")).contains("LM (batch size 20)");
        Container scheduler = chart.container(SCHEDULER);
        String file = env(scheduler, "TESSERA_THROUGHPUTS_FILE");
        assertThat(file).endsWith("/throughputs.json");
        assertThat(mountedVolume(scheduler, file)).isEqualTo("throughputs");

        RenderedChart existing = RenderedChart.render(Optional.empty(), t -> t
                .set("scheduler.throughputs.existingConfigMap", "gavel-throughputs")
                .set("scheduler.throughputs.key", "simulation_throughputs.json"));
        assertThat(existing.find(ConfigMap.class, SCHEDULER + "-throughputs")).isEmpty();
        assertThat(env(existing.container(SCHEDULER), "TESSERA_THROUGHPUTS_FILE")).endsWith("/simulation_throughputs.json");
        assertThat(existing.one(Deployment.class, SCHEDULER).getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getConfigMap() == null ? null : v.getConfigMap().getName()).isEqualTo("gavel-throughputs"));
    }

    @Test
    void theExternalDatabaseIsTheDefaultAndItsCredentialsComeFromTheExistingSecret() {
        RenderedChart defaults = RenderedChart.of(ValueSet.DEFAULTS);
        assertThat(defaults.all(StatefulSet.class)).isEmpty();
        assertThat(defaults.all(Secret.class)).as("the chart writes no credentials").isEmpty();

        RenderedChart chart = RenderedChart.of(ValueSet.EXTERNAL_DATABASE);
        Container inventory = chart.container(INVENTORY);
        assertThat(env(inventory, "QUARKUS_DATASOURCE_JDBC_URL"))
                .isEqualTo("jdbc:postgresql://pg.prod.example.com:5432/tessera?sslmode=require");
        assertSecretRef(inventory, "QUARKUS_DATASOURCE_USERNAME", "tessera-prod-db", "user");
        assertSecretRef(inventory, "QUARKUS_DATASOURCE_PASSWORD", "tessera-prod-db", "pass");
        assertThat(chart.all(StatefulSet.class)).isEmpty();
        assertThat(chart.all(Secret.class)).isEmpty();
    }

    @Test
    void theEvaluationDatabaseRunsInTheReleaseAndTheInventoryUsesIt() {
        RenderedChart chart = RenderedChart.of(ValueSet.EVALUATION_DATABASE);
        StatefulSet postgres = chart.one(StatefulSet.class, POSTGRESQL);
        assertThat(postgres.getSpec().getReplicas()).isEqualTo(1);
        Service service = chart.one(Service.class, POSTGRESQL);
        assertThat(postgres.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());

        Container inventory = chart.container(INVENTORY);
        assertThat(env(inventory, "QUARKUS_DATASOURCE_JDBC_URL")).isEqualTo("jdbc:postgresql://" + POSTGRESQL + ":5432/tessera");
        assertSecretRef(inventory, "QUARKUS_DATASOURCE_USERNAME", POSTGRESQL, "username");
        assertSecretRef(inventory, "QUARKUS_DATASOURCE_PASSWORD", POSTGRESQL, "password");
        Secret secret = chart.one(Secret.class, POSTGRESQL);
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("password")))).isEqualTo("evaluation-only");
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("username")))).isEqualTo("tessera");
        // the database gets its credentials from the same Secret
        Container db = postgres.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertSecretRef(db, "POSTGRES_PASSWORD", POSTGRESQL, "password");
        assertThat(postgres.getSpec().getVolumeClaimTemplates()).as("persistence off").isNullOrEmpty();

        RenderedChart persistent = RenderedChart.render(Optional.empty(), t -> t.set("postgresql.enabled", true));
        assertThat(persistent.one(StatefulSet.class, POSTGRESQL).getSpec().getVolumeClaimTemplates()).singleElement()
                .satisfies(c -> assertThat(c.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("8Gi"));
        String generated = persistent.one(Secret.class, POSTGRESQL).getData().get("password");
        assertThat(Base64.getDecoder().decode(generated)).hasSizeGreaterThanOrEqualTo(16);
        // a drawn password restarts database and inventory together, and reaches an existing data directory
        String checksum = "checksum/database-password";
        assertThat(persistent.one(StatefulSet.class, POSTGRESQL).getSpec().getTemplate().getMetadata().getAnnotations().get(checksum))
                .isNotBlank()
                .isEqualTo(persistent.one(Deployment.class, INVENTORY).getSpec().getTemplate().getMetadata().getAnnotations().get(checksum));
        assertThat(persistent.one(StatefulSet.class, POSTGRESQL).getSpec().getTemplate().getSpec().getInitContainers())
                .singleElement().satisfies(init -> {
                    assertThat(String.join(" ", init.getCommand())).contains("ALTER ROLE", "postgres --single");
                    assertSecretRef(init, "POSTGRES_PASSWORD", POSTGRESQL, "password");
                });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void aDisruptionBudgetGuardsEveryComponentRunningMoreThanOneReplica(ValueSet values) {
        RenderedChart chart = RenderedChart.of(values);
        for (Deployment deployment : chart.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Optional<PodDisruptionBudget> pdb = chart.find(PodDisruptionBudget.class, name);
            if (deployment.getSpec().getReplicas() > 1) {
                assertThat(pdb).as(name).isPresent();
                assertThat(selects(pdb.get().getSpec().getSelector(), deployment.getSpec().getTemplate())).isTrue();
                assertThat(pdb.get().getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
            } else {
                assertThat(pdb).as(name + " with one replica would block node drains").isEmpty();
            }
        }
        if (values == ValueSet.HIGH_AVAILABILITY) {
            assertThat(chart.all(PodDisruptionBudget.class)).extracting(p -> p.getMetadata().getName())
                    .containsExactlyInAnyOrder(OPERATOR, INVENTORY);
        }
    }

    @Test
    void theSchedulerNeverRunsTwiceNotEvenDuringARollout() {
        Deployment scheduler = RenderedChart.of(ValueSet.HIGH_AVAILABILITY).one(Deployment.class, SCHEDULER);
        assertThat(scheduler.getSpec().getReplicas()).isEqualTo(1);
        assertThat(scheduler.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    @ParameterizedTest
    @EnumSource(value = ValueSet.class, names = {"DEFAULTS", "EVALUATION_DATABASE", "MONITORED"})
    void onlyTheOperatorReachesTheSchedulerAndOnlyTheSchedulerReachesInventory(ValueSet values) {
        RenderedChart chart = RenderedChart.of(values);
        Map<String, PodTemplateSpec> pods = chart.podTemplates();
        List<NetworkPolicyPeer> metrics = values == ValueSet.MONITORED ? chart.one(NetworkPolicy.class, OPERATOR)
                .getSpec().getIngress().get(0).getFrom() : List.of();

        assertThat(admittedWorkloads(chart.one(NetworkPolicy.class, SCHEDULER), pods)).containsExactly(OPERATOR);
        assertThat(admittedWorkloads(chart.one(NetworkPolicy.class, INVENTORY), pods)).containsExactly(SCHEDULER);
        assertThat(admittedWorkloads(chart.one(NetworkPolicy.class, OPERATOR), pods)).isEmpty();
        if (values == ValueSet.EVALUATION_DATABASE) {
            assertThat(admittedWorkloads(chart.one(NetworkPolicy.class, POSTGRESQL), pods)).containsExactly(INVENTORY);
        }
        for (NetworkPolicy policy : chart.all(NetworkPolicy.class)) {
            String name = policy.getMetadata().getName();
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
            assertThat(selects(policy.getSpec().getPodSelector(), pods.get(name))).as(name + " guards its own pods").isTrue();
            policy.getSpec().getIngress().stream().flatMap(r -> r.getFrom().stream())
                    .filter(peer -> peer.getPodSelector() == null)
                    .forEach(peer -> assertThat(metrics).as(name + ": only the configured scrapers come from elsewhere").contains(peer));
        }
        if (values == ValueSet.MONITORED) {
            assertThat(metrics).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsEntry("kubernetes.io/metadata.name", "monitoring"));
        }
    }

    @Test
    void extraInventoryAndSchedulerClientsAreAdmittedOnlyWhereConfigured() {
        RenderedChart chart = RenderedChart.of(ValueSet.EXTERNAL_DATABASE);
        List<NetworkPolicyPeer> inventoryPeers = chart.one(NetworkPolicy.class, INVENTORY).getSpec().getIngress().get(0).getFrom();
        assertThat(inventoryPeers).filteredOn(p -> p.getNamespaceSelector() != null).singleElement()
                .satisfies(p -> assertThat(p.getNamespaceSelector().getMatchLabels())
                        .containsEntry("kubernetes.io/metadata.name", "fleet-admin"));
        assertThat(chart.one(NetworkPolicy.class, SCHEDULER).getSpec().getIngress().get(0).getFrom())
                .filteredOn(p -> p.getNamespaceSelector() != null).singleElement()
                .satisfies(p -> assertThat(p.getNamespaceSelector().getMatchLabels())
                        .containsEntry("kubernetes.io/metadata.name", "dashboards"));
        assertThat(RenderedChart.of(ValueSet.DEFAULTS).one(NetworkPolicy.class, SCHEDULER).getSpec().getIngress().get(0).getFrom())
                .allSatisfy(p -> assertThat(p.getNamespaceSelector()).isNull());
    }

    @Test
    void serviceMonitorsScrapeTheQuarkusMetricsOfEveryComponentWhenAsked() {
        assertThat(RenderedChart.of(ValueSet.DEFAULTS).ofKind("ServiceMonitor")).isEmpty();
        RenderedChart chart = RenderedChart.of(ValueSet.MONITORED);
        assertThat(chart.ofKind("ServiceMonitor")).extracting(m -> m.getMetadata().getName())
                .containsExactlyInAnyOrder(OPERATOR, SCHEDULER, INVENTORY);
        for (var monitor : chart.ofKind("ServiceMonitor")) {
            assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
            String yaml = new KubernetesSerialization().asYaml(monitor);
            assertThat(yaml).contains("path: \"/q/metrics\"").contains("port: \"http\"");
        }
    }

    private static List<String> admittedWorkloads(NetworkPolicy policy, Map<String, PodTemplateSpec> pods) {
        List<String> admitted = new ArrayList<>();
        policy.getSpec().getIngress().stream().flatMap(r -> r.getFrom().stream())
                .filter(peer -> peer.getPodSelector() != null && peer.getNamespaceSelector() == null)
                .forEach(peer -> pods.forEach((name, template) -> {
                    if (selects(peer.getPodSelector(), template) && !admitted.contains(name)) {
                        admitted.add(name);
                    }
                }));
        return admitted;
    }

    private static boolean selects(LabelSelector selector, PodTemplateSpec pods) {
        assertThat(selector.getMatchExpressions()).isNullOrEmpty();
        return pods.getMetadata().getLabels().entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static String mountedVolume(Container container, String file) {
        return container.getVolumeMounts().stream()
                .filter(m -> file.startsWith(m.getMountPath() + "/"))
                .findFirst().orElseThrow(() -> new AssertionError(file + " is not on a mounted volume")).getName();
    }

    private static void assertSecretRef(Container container, String variable, String secret, String key) {
        EnvVar var = container.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst().orElseThrow();
        assertThat(var.getValue()).as(variable + " never inline").isNull();
        assertThat(var.getValueFrom().getSecretKeyRef().getName()).as(variable).isEqualTo(secret);
        assertThat(var.getValueFrom().getSecretKeyRef().getKey()).as(variable).isEqualTo(key);
    }

    private static String env(Container container, String name) {
        String value = envOrNull(container, name);
        assertThat(value).as(container.getName() + " " + name).isNotNull();
        return value;
    }

    private static String envOrNull(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }
}
