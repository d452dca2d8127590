package dev.tessera.local.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded API driven by the real kubectl (skipped where there is none) and by the fabric8 client. */
class LocalKubeApiTest {

    private static LocalKubeApi api;
    private static Path kubeconfig;
    private static Path work;

    @BeforeAll
    static void start() throws IOException {
        api = LocalKubeApi.start(0);
        api.installCrd(LocalKubeApiTest.class.getResourceAsStream("/test-trainingjob-crd.yml"));
        work = Files.createDirectories(Path.of("target", "kube-api-test"));
        kubeconfig = api.writeKubeconfig(work.resolve("kubeconfig"));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    record Run(int exit, String out, String err) {
    }

    /** kubectl's own schema check needs the OpenAPI document the API does not serve; the server validates instead. */
    static Run kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Kubectl.path(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static Path manifest(String name, String yaml) throws IOException {
        return Files.writeString(work.resolve(name), yaml);
    }

    private static final String GOOD_JOB = """
            apiVersion: tessera.dev/v1alpha1
            kind: TrainingJob
            metadata: {name: %s}
            spec:
              shards: 2
              chipsPerShard: 8
              chips: {allowed: [h800]}
            """;

    @Test
    void kubectlAppliesGetsAndDeletesACustomResource() throws Exception {
        Kubectl.assumePresent();
        Path file = manifest("good.yml", GOOD_JOB.formatted("good"));
        Run applied = kubectl("apply", "--validate=false", "-f", file.toString());
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("trainingjob.tessera.dev/good created");

        Run again = kubectl("apply", "--validate=false", "-f", file.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("trainingjob.tessera.dev/good unchanged");

        GenericKubernetesResource stored = api.client().genericKubernetesResources("tessera.dev/v1alpha1", "TrainingJob")
                .inNamespace("default").withName("good").get();
        assertThat(stored.<String>get("spec", "queue")).as("schema default filled in").isEqualTo("default");

        Run got = kubectl("get", "tj");
        assertThat(got.exit()).as(got.err()).isZero();
        assertThat(got.out().lines().findFirst().orElse("")).containsSubsequence("NAME", "PHASE", "SHARDS", "CHIPS", "H100-EQ", "AGE");
        assertThat(got.out()).contains("good");

        Run patched = kubectl("patch", "tj", "good", "--type=merge", "-p", "{\"spec\":{\"shards\":3}}");
        assertThat(patched.exit()).as(patched.err()).isZero();
        Run label = kubectl("label", "tj", "good", "team=llm");
        assertThat(label.exit()).as(label.err()).isZero();
        assertThat(kubectl("get", "tj", "good", "-o", "jsonpath={.spec.shards} {.metadata.labels.team}").out()).isEqualTo("3 llm");

        Run deleted = kubectl("delete", "tj", "good");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(kubectl("get", "tj", "good").err()).contains("NotFound");
    }

    /** What helm install and {@code kubectl wait} wait for before they use a new kind. */
    @Test
    void aNewCrdIsEstablishedWithItsNamesAccepted() throws Exception {
        Kubectl.assumePresent();
        Run waited = kubectl("wait", "--for=condition=Established", "--timeout=5s", "crd/trainingjobs.tessera.dev");
        assertThat(waited.exit()).as(waited.err()).isZero();
        Run status = kubectl("get", "crd", "trainingjobs.tessera.dev", "-o",
                "jsonpath={.status.acceptedNames.kind} {.status.acceptedNames.plural} {.status.storedVersions}"
                        + " {.status.conditions[?(@.type==\"NamesAccepted\")].status}");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).isEqualTo("TrainingJob trainingjobs [\"v1alpha1\"] True");
    }

    /** As a structural schema makes the API server do: unknown fields are pruned, with a warning unless ignored. */
    @Test
    void unknownFieldsArePrunedAndWarnedAbout() throws Exception {
        Kubectl.assumePresent();
        Path file = manifest("unknown.yml", """
                apiVersion: tessera.dev/v1alpha1
                kind: TrainingJob
                metadata: {name: unknown-fields}
                spec:
                  shards: 2
                  shardz: 5
                  chipsPerShard: 8
                  chips: {allowed: [h800], favourite: a100}
                """);
        Run applied = kubectl("apply", "--validate=false", "-f", file.toString());
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(applied.err()).as("--validate=false asks the server to ignore them").doesNotContain("unknown field");
        Run stored = kubectl("get", "tj", "unknown-fields", "-o", "jsonpath={.spec.shards} {.spec.shardz} {.spec.chips}");
        assertThat(stored.out()).isEqualTo("2  {\"allowed\":[\"h800\"],\"mixing\":\"Allowed\"}");

        Run patched = kubectl("patch", "tj", "unknown-fields", "--type=merge", "-p", "{\"spec\":{\"shards\":3,\"bogus\":1}}");
        assertThat(patched.exit()).as(patched.err()).isZero();
        assertThat(patched.err()).contains("Warning: unknown field \"spec.bogus\"");
        assertThat(kubectl("get", "tj", "unknown-fields", "-o", "jsonpath={.spec.shards}|{.spec.bogus}").out()).isEqualTo("3|");
        kubectl("delete", "tj", "unknown-fields");
    }

    @Test
    void aNameThatIsNoDnsSubdomainIsRefused() throws Exception {
        Kubectl.assumePresent();
        Run refused = kubectl("apply", "--validate=false", "-f", manifest("upper.yml", GOOD_JOB.formatted("Upper-Case")).toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("metadata.name: Invalid value: \"Upper-Case\": a lowercase RFC 1123 subdomain");
        assertThat(api.client().genericKubernetesResources("tessera.dev/v1alpha1", "TrainingJob").inNamespace("default")
                .withName("Upper-Case").get()).isNull();
        assertThat(KubeApiFront.nameError("a".repeat(254))).get().extracting(FieldError::message).asString()
                .endsWith("must be no more than 253 characters");
        assertThat(KubeApiFront.nameError("llama-3.1-70b")).isEmpty();
    }

    /**
     * kubectl create sends built-in kinds as protobuf: Namespaces, ConfigMaps and Secrets (Helm's release records) are
     * read and stored as JSON; any other kind is refused by name as an unsupported media type, and nothing is stored.
     */
    @Test
    void protobufBodiesOfSecretsConfigMapsAndNamespacesAreReadAndOtherKindsRefused() throws Exception {
        Kubectl.assumePresent();
        Run namespace = kubectl("create", "namespace", "from-protobuf");
        assertThat(namespace.exit()).as(namespace.err()).isZero();
        Path binary = Files.write(work.resolve("blob.bin"), new byte[] {0, (byte) 0xff, 10, 'k', '8', 's'});
        Run configMap = kubectl("-n", "from-protobuf", "create", "configmap", "settings", "--from-literal=mode=fast",
                "--from-file=blob=" + binary);
        assertThat(configMap.exit()).as(configMap.err()).isZero();
        Run secret = kubectl("-n", "from-protobuf", "create", "secret", "generic", "credentials", "--from-literal=password=s3cr=t");
        assertThat(secret.exit()).as(secret.err()).isZero();

        assertThat(api.client().namespaces().withName("from-protobuf").get()).isNotNull();
        var storedConfigMap = api.client().configMaps().inNamespace("from-protobuf").withName("settings").get();
        assertThat(storedConfigMap.getData()).containsExactly(Map.entry("mode", "fast"));
        assertThat(java.util.Base64.getDecoder().decode(storedConfigMap.getBinaryData().get("blob")))
                .containsExactly(0, (byte) 0xff, 10, 'k', '8', 's');
        var storedSecret = api.client().secrets().inNamespace("from-protobuf").withName("credentials").get();
        assertThat(storedSecret.getType()).isEqualTo("Opaque");
        assertThat(new String(java.util.Base64.getDecoder().decode(storedSecret.getData().get("password")), StandardCharsets.UTF_8))
                .isEqualTo("s3cr=t");
        assertThat(storedSecret.getMetadata().getUid()).isNotBlank();
        // read back through kubectl, which asks for protobuf and is answered in JSON
        Run read = kubectl("-n", "from-protobuf", "get", "secret", "credentials", "-o", "jsonpath={.data.password}");
        assertThat(read.exit()).as(read.err()).isZero();
        assertThat(read.out()).isEqualTo(java.util.Base64.getEncoder().encodeToString("s3cr=t".getBytes(StandardCharsets.UTF_8)));

        Run other = kubectl("-n", "from-protobuf", "create", "serviceaccount", "robot");
        assertThat(other.exit()).isNotZero();
        assertThat(other.err()).contains("unknown format").contains("application/json").contains("ConfigMap, DeleteOptions, Namespace, Secret");
        assertThat(api.client().serviceAccounts().inNamespace("from-protobuf").withName("robot").get()).isNull();
    }

    /** stringData is write-only: merged into data, as the API server does, on create, update and patch. */
    @Test
    void aSecretsStringDataIsMergedIntoItsData() throws Exception {
        Kubectl.assumePresent();
        Path secret = manifest("string-data.yml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: string-data}
                data: {kept: a2VwdA==, replaced: b2xk}
                stringData: {replaced: new, added: "p@ss wörd"}
                """);
        Run applied = kubectl("apply", "--validate=false", "-f", secret.toString());
        assertThat(applied.exit()).as(applied.err()).isZero();
        var stored = api.client().secrets().inNamespace("default").withName("string-data").get();
        assertThat(stored.getStringData()).isNullOrEmpty();
        assertThat(stored.getType()).isEqualTo("Opaque");
        Map<String, String> decoded = new java.util.TreeMap<>();
        stored.getData().forEach((k, v) -> decoded.put(k, new String(java.util.Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        assertThat(decoded).containsExactly(Map.entry("added", "p@ss wörd"), Map.entry("kept", "kept"), Map.entry("replaced", "new"));

        stored.setStringData(Map.of("kept", "changed"));
        api.client().secrets().inNamespace("default").resource(stored).update();
        var updated = api.client().secrets().inNamespace("default").withName("string-data").get();
        assertThat(new String(java.util.Base64.getDecoder().decode(updated.getData().get("kept")), StandardCharsets.UTF_8))
                .isEqualTo("changed");
        assertThat(updated.getStringData()).isNullOrEmpty();

        Run patched = kubectl("patch", "secret", "string-data", "--type=merge", "-p", "{\"stringData\":{\"added\":\"patched\"}}");
        assertThat(patched.exit()).as(patched.err()).isZero();
        var afterPatch = api.client().secrets().inNamespace("default").withName("string-data").get();
        assertThat(new String(java.util.Base64.getDecoder().decode(afterPatch.getData().get("added")), StandardCharsets.UTF_8))
                .isEqualTo("patched");
        assertThat(afterPatch.getStringData()).isNullOrEmpty();
    }

    /** A server-side dry run stores nothing: a create is checked and answered; other dry runs are refused, changing nothing. */
    @Test
    void dryRunsStoreNothing() throws Exception {
        Kubectl.assumePresent();
        Run secret = kubectl("create", "secret", "generic", "dry-secret", "--from-literal=a=b", "--dry-run=server", "-o",
                "jsonpath={.type}");
        assertThat(secret.exit()).as(secret.err()).isZero();
        assertThat(secret.out()).isEqualTo("Opaque");
        assertThat(api.client().secrets().inNamespace("default").withName("dry-secret").get()).isNull();

        Path job = manifest("dry.yml", GOOD_JOB.formatted("dry-job"));
        Run applied = kubectl("apply", "--validate=false", "--dry-run=server", "-f", job.toString());
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("created (server dry run)");
        assertThat(kubectl("get", "tj", "dry-job").err()).contains("NotFound");
        Run invalid = kubectl("apply", "--validate=false", "--dry-run=server", "-f",
                manifest("dry-bad.yml", GOOD_JOB.formatted("dry-bad").replace("shards: 2", "shards: 0")).toString());
        assertThat(invalid.exit()).isNotZero();
        assertThat(invalid.err()).contains("spec.shards");

        assertThat(kubectl("create", "configmap", "kept", "--from-literal=a=b").exit()).isZero();
        Run deleted = kubectl("delete", "configmap", "kept", "--dry-run=server");
        assertThat(deleted.exit()).isNotZero();
        assertThat(deleted.err()).contains("dry runs of creates only");
        assertThat(api.client().configMaps().inNamespace("default").withName("kept").get()).isNotNull();
    }

    @Test
    void kubectlApplyOfAnInvalidJobIsRefusedWithTheReasons() throws Exception {
        Kubectl.assumePresent();
        Path file = manifest("bad.yml", """
                apiVersion: tessera.dev/v1alpha1
                kind: TrainingJob
                metadata: {name: bad}
                spec:
                  shards: 2
                  minShards: 4
                  chipsPerShard: 8
                  chips: {mixing: Sometimes}
                """);
        Run refused = kubectl("apply", "--validate=false", "-f", file.toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("is invalid").contains("spec.chips.mixing").contains("Unsupported value: \"Sometimes\"");
        assertThat(kubectl("get", "tj", "bad").exit()).isNotZero();
    }

    @Test
    void anUpdateBreakingACelRuleIsRefused() throws Exception {
        Kubectl.assumePresent();
        kubectl("apply", "--validate=false", "-f", manifest("upd.yml", GOOD_JOB.formatted("upd")).toString());
        Run refused = kubectl("patch", "tj", "upd", "--type=merge", "-p", "{\"spec\":{\"minShards\":5}}");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("minShards must not exceed shards");
        kubectl("delete", "tj", "upd");
    }

    @Test
    void mergePatchesReplaceListsOnTheObjectAndOnItsStatus() throws Exception {
        Kubectl.assumePresent();
        kubectl("apply", "--validate=false", "-f", manifest("lists.yml", GOOD_JOB.formatted("lists")).toString());
        for (String message : List.of("first", "second")) {
            Run status = kubectl("patch", "tj", "lists", "--subresource=status", "--type=merge", "-p",
                    "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Placed\",\"message\":\"" + message + "\"}]}}");
            assertThat(status.exit()).as(status.err()).isZero();
            Run finalizer = kubectl("patch", "tj", "lists", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":[\"x/f\"]}}");
            assertThat(finalizer.exit()).as(finalizer.err()).isZero();
        }
        Run got = kubectl("get", "tj", "lists", "-o", "jsonpath={.status.phase} {.status.conditions[*].message} {.metadata.finalizers}");
        assertThat(got.out()).isEqualTo("Running second [\"x/f\"]");
        Run spec = kubectl("patch", "tj", "lists", "--type=merge", "-p", "{\"spec\":{\"shards\":4},\"status\":{\"phase\":\"Failed\"}}");
        assertThat(spec.exit()).as(spec.err()).isZero();
        assertThat(kubectl("get", "tj", "lists", "-o", "jsonpath={.spec.shards} {.status.phase}").out())
                .as("the main resource ignores status changes").isEqualTo("4 Running");
        kubectl("patch", "tj", "lists", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
        kubectl("delete", "tj", "lists");
    }

    @Test
    void kubectlSeesNodesAndStrategicMergeLabels() throws Exception {
        Kubectl.assumePresent();
        api.apply(new NodeBuilder().withNewMetadata().withName("n1").addToLabels("tessera.dev/pool", "h800-a")
                .addToLabels("tessera.dev/chip", "h800").endMetadata().build());
        Run label = kubectl("label", "node", "n1", "zone=b");
        assertThat(label.exit()).as(label.err()).isZero();
        Run nodes = kubectl("get", "nodes", "-l", "zone=b");
        assertThat(nodes.out()).contains("n1").contains("h800-a");
        assertThat(kubectl("version").exit()).isZero();
        assertThat(kubectl("api-resources").out()).contains("trainingjobs").contains("tj");
    }

    @Test
    void aWatchGetsWhatIsStoredThenEveryChangeInOrderAndOnlyWhatItAsksFor() throws Exception {
        var maps = api.client().configMaps().inNamespace("watched");
        maps.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("before")
                .endMetadata().addToData("v", "0").build()).create();
        java.util.concurrent.BlockingQueue<String> all = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.BlockingQueue<String> named = new java.util.concurrent.LinkedBlockingQueue<>();
        class Recorder implements io.fabric8.kubernetes.client.Watcher<io.fabric8.kubernetes.api.model.ConfigMap> {
            private final java.util.concurrent.BlockingQueue<String> into;

            Recorder(java.util.concurrent.BlockingQueue<String> into) {
                this.into = into;
            }

            @Override
            public void eventReceived(Action action, io.fabric8.kubernetes.api.model.ConfigMap map) {
                into.add(action + " " + map.getMetadata().getName() + " " + map.getData().get("v"));
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        }
        try (var w1 = maps.watch(new Recorder(all));
                var w2 = maps.withField("metadata.name", "after").watch(new Recorder(named))) {
            assertThat(all.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED before 0");
            maps.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("after")
                    .endMetadata().addToData("v", "1").build()).create();
            maps.withName("before").edit(m -> {
                m.getData().put("v", "2");
                return m;
            });
            maps.withName("after").delete();
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(all.poll(10, TimeUnit.SECONDS));
            }
            assertThat(seen).containsExactly("ADDED after 1", "MODIFIED before 2", "DELETED after 1");
            assertThat(named.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED after 1");
            assertThat(named.poll(10, TimeUnit.SECONDS)).isEqualTo("DELETED after 1");
            assertThat(named.poll(300, TimeUnit.MILLISECONDS)).as("nothing of other objects").isNull();
        }
    }

    @Test
    void podsOwnedByADeletedObjectAreCollected() throws Exception {
        var client = api.client();
        GenericKubernetesResource job = client.genericKubernetesResources("tessera.dev/v1alpha1", "TrainingJob")
                .inNamespace("default").resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                        .withApiVersion("tessera.dev/v1alpha1").withKind("TrainingJob")
                        .withNewMetadata().withName("owner").endMetadata()
                        .withAdditionalProperties(Map.of("spec", Map.of("shards", 1, "chipsPerShard", 8))).build())
                .create();
        Pod pod = client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("owner-s0-w0")
                .addNewOwnerReference().withApiVersion("tessera.dev/v1alpha1").withKind("TrainingJob")
                .withName("owner").withUid(job.getMetadata().getUid()).withController(true).endOwnerReference()
                .endMetadata().withNewSpec().addNewContainer().withName("t").withImage("x").endContainer().endSpec().build())
                .create();
        assertThat(pod.getMetadata().getUid()).isNotNull();
        try (GarbageCollector collector = new GarbageCollector(client, api::storedUid)) {
            collector.sweep();
        }
        assertThat(client.pods().inNamespace("default").withName("owner-s0-w0").get()).as("owner still there").isNotNull();
        client.resource(job).delete();
        // an owner of the same name made again is another object (another uid): the pod is still an orphan
        client.genericKubernetesResources("tessera.dev/v1alpha1", "TrainingJob").inNamespace("default")
                .resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                        .withApiVersion("tessera.dev/v1alpha1").withKind("TrainingJob")
                        .withNewMetadata().withName("owner").endMetadata()
                        .withAdditionalProperties(Map.of("spec", Map.of("shards", 1, "chipsPerShard", 8))).build())
                .create();
        try (GarbageCollector collector = new GarbageCollector(client, api::storedUid)) {
            collector.sweep();
        }
        assertThat(client.pods().inNamespace("default").withName("owner-s0-w0").get()).isNull();
        client.genericKubernetesResources("tessera.dev/v1alpha1", "TrainingJob").inNamespace("default").withName("owner").delete();
    }

    @Test
    void setBasedAndNegatedLabelSelectorsSelectInAListAndAreRefusedWhereTheyCannot() throws Exception {
        var client = api.client();
        for (String[] p : new String[][] {{"sel-web", "web"}, {"sel-db", "db"}, {"sel-none", null}}) {
            var meta = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(p[0]);
            if (p[1] != null) {
                meta.addToLabels("tier", p[1]);
            }
            client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withMetadata(meta.build()).build()).create();
        }
        try {
            java.util.function.Function<String, List<String>> names = selector -> client.configMaps().inNamespace("default")
                    .withLabelSelector(selector).list().getItems().stream().map(c -> c.getMetadata().getName())
                    .filter(n -> n.startsWith("sel-")).sorted().toList();
            assertThat(names.apply("tier in (web)")).containsExactly("sel-web");
            assertThat(names.apply("tier notin (web)")).containsExactly("sel-db", "sel-none");
            assertThat(names.apply("tier!=db")).containsExactly("sel-none", "sel-web");
            assertThat(names.apply("tier")).containsExactly("sel-db", "sel-web");
            assertThat(names.apply("!tier")).containsExactly("sel-none");
            assertThat(names.apply("tier=web")).containsExactly("sel-web");
            // kubectl lists with the selector, then deletes what it found by name
            Run deleted = kubectl("delete", "configmaps", "-l", "tier in (web)");
            assertThat(deleted.exit()).as(deleted.err()).isZero();
            assertThat(names.apply("tier")).containsExactly("sel-db");
            // a collection delete or a watch the mock would run on every object is refused, and deletes nothing
            assertThatThrownBy(() -> client.configMaps().inNamespace("default").withLabelSelector("tier notin (x)").delete())
                    .hasMessageContaining("the local API reads only key=value label selectors");
            assertThat(client.configMaps().inNamespace("default").withName("sel-db").get()).isNotNull();
            Run bad = kubectl("get", "configmaps", "-l", "tier in web");
            assertThat(bad.exit()).isNotZero();
        } finally {
            for (String n : List.of("sel-web", "sel-db", "sel-none")) {
                client.configMaps().inNamespace("default").withName(n).delete();
            }
        }
    }

    @Test
    void deletingANamespaceDeletesWhatIsInItAndFinalizersHoldWhatTheyHold() throws Exception {
        var client = api.client();
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("doomed")
                .endMetadata().build()).create();
        client.configMaps().inNamespace("doomed").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("settings").endMetadata().addToData("a", "b").build()).create();
        client.pods().inNamespace("doomed").resource(new PodBuilder().withNewMetadata().withName("loose").endMetadata()
                .withNewSpec().addNewContainer().withName("t").withImage("x").endContainer().endSpec().build()).create();
        var jobs = client.genericKubernetesResources("tessera.dev/v1alpha1", "TrainingJob");
        jobs.inNamespace("doomed").resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("tessera.dev/v1alpha1").withKind("TrainingJob")
                .withNewMetadata().withName("held").addToFinalizers("tessera.dev/release-chips").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("shards", 1, "chipsPerShard", 8))).build()).create();
        // another namespace's objects stay
        client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("bystander").endMetadata().build()).createOr(existing -> existing.update());

        client.namespaces().withName("doomed").delete();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while ((client.pods().inNamespace("doomed").withName("loose").get() != null
                || client.configMaps().inNamespace("doomed").withName("settings").get() != null
                || jobs.inNamespace("doomed").withName("held").get().getMetadata().getDeletionTimestamp() == null)
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(client.pods().inNamespace("doomed").withName("loose").get()).isNull();
        assertThat(client.configMaps().inNamespace("doomed").withName("settings").get()).isNull();
        // its finalizer keeps the job until whoever holds it lets go
        GenericKubernetesResource held = jobs.inNamespace("doomed").withName("held").get();
        assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
        jobs.inNamespace("doomed").withName("held").edit(j -> {
            j.getMetadata().setFinalizers(List.of());
            return j;
        });
        assertThat(jobs.inNamespace("doomed").withName("held").get()).isNull();
        assertThat(client.configMaps().inNamespace("default").withName("bystander").get()).isNotNull();
    }

    @Test
    void eventsAreDeletedATtlAfterTheirLastWriteAndNotBefore() {
        var client = api.client();
        var events = client.v1().events().inNamespace("default");
        Event once = events.resource(new EventBuilder().withNewMetadata().withName("ttl-once").endMetadata()
                .withReason("Placed").withMessage("placed").withType("Normal").withNewInvolvedObject()
                .withKind("TrainingJob").withName("a").endInvolvedObject().build()).create();
        Instant created = Instant.parse(once.getMetadata().getCreationTimestamp());
        // repeated half an hour later: its count went up and it lives on from that repetition
        events.resource(new EventBuilder().withNewMetadata().withName("ttl-repeated").endMetadata()
                .withReason("Placed").withMessage("placed").withType("Normal").withCount(2)
                .withLastTimestamp(created.plus(Duration.ofMinutes(30)).toString()).withNewInvolvedObject()
                .withKind("TrainingJob").withName("b").endInvolvedObject().build()).create();
        var newer = client.events().v1().events().inNamespace("default").resource(
                new io.fabric8.kubernetes.api.model.events.v1.EventBuilder().withNewMetadata().withName("ttl-new-api").endMetadata()
                        .withReason("Placed").withNote("placed").withType("Normal").withAction("Place")
                        .withReportingController("tessera.dev/operator").withReportingInstance("op")
                        .withEventTime(new MicroTime(created.toString())).build()).create();
        assertThat(newer.getMetadata().getName()).isEqualTo("ttl-new-api");
        // a pod is no event, however old
        client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("ttl-pod").endMetadata()
                .withNewSpec().addNewContainer().withName("t").withImage("x").endContainer().endSpec().build()).create();

        Duration ttl = Duration.ofHours(1);
        assertThat(api.eventExpiry(Clock.fixed(created.plus(ttl).minusSeconds(5), ZoneOffset.UTC), ttl).sweep())
                .as("nothing is an hour old yet").isZero();
        assertThat(events.withName("ttl-once").get()).isNotNull();

        assertThat(api.eventExpiry(Clock.fixed(created.plus(ttl).plusSeconds(5), ZoneOffset.UTC), ttl).sweep()).isEqualTo(2);
        assertThat(events.withName("ttl-once").get()).isNull();
        assertThat(client.events().v1().events().inNamespace("default").withName("ttl-new-api").get()).isNull();
        assertThat(events.withName("ttl-repeated").get()).as("repeated half an hour later").isNotNull();

        assertThat(api.eventExpiry(Clock.fixed(created.plus(Duration.ofMinutes(95)), ZoneOffset.UTC), ttl).sweep()).isEqualTo(1);
        assertThat(events.withName("ttl-repeated").get()).isNull();
        assertThat(client.pods().inNamespace("default").withName("ttl-pod").get()).isNotNull();
        client.pods().inNamespace("default").withName("ttl-pod").delete();
    }

    @Test
    void eventsAreSelectedByTheirInvolvedObjectAsKubectlDescribeAsksForThem() throws Exception {
        var events = api.client().v1().events().inNamespace("default");
        for (String job : List.of("described", "other")) {
            events.resource(new EventBuilder().withNewMetadata().withName(job + ".e1").endMetadata().withReason("Placed")
                    .withMessage("placed").withType("Normal").withNewInvolvedObject().withKind("TrainingJob").withName(job)
                    .withNamespace("default").withUid("uid-" + job).endInvolvedObject().build()).create();
        }
        var selected = events.withField("involvedObject.name", "described").withField("involvedObject.uid", "uid-described")
                .list().getItems();
        assertThat(selected).extracting(e -> e.getMetadata().getName()).containsExactly("described.e1");
        // as its kind's list: kubectl describe reads the Events into a typed EventList
        assertThat(KubeApiFront.typedList(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"kind\":\"List\",\"items\":[{\"kind\":\"Event\"}]}")).path("kind").asText()).isEqualTo("EventList");
        assertThat(KubeApiFront.withoutParameter("/api/v1/events?limit=500&fieldSelector=a%3Db&watch=false", "fieldSelector"))
                .isEqualTo("/api/v1/events?limit=500&watch=false");
        assertThat(KubeApiFront.withoutParameter("/api/v1/events?fieldSelector=a%3Db", "fieldSelector")).isEqualTo("/api/v1/events");
        events.withName("described.e1").delete();
        events.withName("other.e1").delete();
    }

    @Test
    void anEventTtlMustBePositive() {
        assertThatThrownBy(() -> api.eventExpiry(Clock.systemUTC(), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }

    @Test
    void theStoredUidIsTheObjectsOwnNotOneOfItsOwnerReferences() {
        assertThat(KubeApiFront.uidOf("""
                {"kind":"Pod","spec":{"uid":"not-this"},"metadata":{"name":"p","ownerReferences":[{"uid":"nor-this"}],
                 "labels":{"uid":"x"},"uid":"the-pod"}}""")).isEqualTo("the-pod");
        assertThat(KubeApiFront.uidOf("{\"metadata\":{\"name\":\"p\"}}")).isNull();
        assertThat(KubeApiFront.uidOf("not json")).isNull();
    }

    @Test
    void aStatusWriteWithAStaleResourceVersionIsRefusedWith409AndLosesNoConcurrentChange() {
        var jobs = api.client().genericKubernetesResources("tessera.dev/v1alpha1", "TrainingJob").inNamespace("default");
        jobs.resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("tessera.dev/v1alpha1").withKind("TrainingJob").withNewMetadata().withName("versioned").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("shards", 2, "chipsPerShard", 8))).build()).create();
        GenericKubernetesResource stale = jobs.withName("versioned").get();
        jobs.withName("versioned").edit(j -> {
            j.getMetadata().setLabels(Map.of("team", "vision"));
            return j;
        });
        stale.setAdditionalProperty("status", Map.of("phase", "Running"));
        assertThatThrownBy(() -> jobs.resource(stale).updateStatus())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));

        GenericKubernetesResource fresh = jobs.withName("versioned").get();
        fresh.setAdditionalProperty("status", Map.of("phase", "Running"));
        jobs.resource(fresh).updateStatus();
        GenericKubernetesResource stored = jobs.withName("versioned").get();
        assertThat(stored.getMetadata().getLabels()).containsEntry("team", "vision");
        assertThat(stored.getAdditionalProperties().get("status")).isEqualTo(Map.of("phase", "Running"));
        jobs.withName("versioned").delete();
    }

    @Test
    void theFabric8ClientGetsValidationErrorsToo() {
        var jobs = api.client().genericKubernetesResources("tessera.dev/v1alpha1", "TrainingJob").inNamespace("default");
        assertThatThrownBy(() -> jobs.resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("tessera.dev/v1alpha1").withKind("TrainingJob").withNewMetadata().withName("x").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("shards", 0, "chipsPerShard", 8))).build()).create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> {
                    assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422);
                    assertThat(((KubernetesClientException) e).getStatus().getDetails().getCauses())
                            .anySatisfy(c -> assertThat(c.getField()).isEqualTo("spec.shards"));
                });
    }

    @Test
    void aChangedCrdSchemaGovernsTheNextWrites() {
        var crdApi = api.client().apiextensions().v1().customResourceDefinitions();
        var crds = crdApi.withName("trainingjobs.tessera.dev");
        var jobs = api.client().genericKubernetesResources("tessera.dev/v1alpha1", "TrainingJob").inNamespace("default");
        java.util.function.IntFunction<GenericKubernetesResource> job = shards -> new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("tessera.dev/v1alpha1").withKind("TrainingJob").withNewMetadata().withName("schema-" + shards).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("shards", shards, "chipsPerShard", 8))).build();
        jobs.resource(job.apply(6)).create();
        var original = crds.get();
        try {
            var narrower = crds.get();
            narrower.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
                    .getProperties().get("shards").setMaximum(4.0);
            crdApi.resource(narrower).update();
            assertThatThrownBy(() -> jobs.resource(job.apply(5)).create())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422));
        } finally {
            original.getMetadata().setResourceVersion(null);
            crdApi.resource(original).update();
            jobs.withName("schema-6").delete();
        }
        // and the original schema is back in force
        jobs.resource(job.apply(5)).create();
        jobs.withName("schema-5").delete();
    }
}
