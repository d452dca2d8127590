package dev.tessera.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.local.kube.LocalKubeApi;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a GitOps tool does with the chart: {@code helm template | kubectl apply}, here with the real kubectl
 * against the local suite's embedded Kubernetes API. Helm leaves {@code crds/} out of its template output,
 * so the CRD is applied first, the way Argo CD and Flux apply a chart's CRDs.
 */
class ChartKubectlApplyTest {

    /** Kinds the embedded API does not serve; everything else the chart renders must apply. */
    private static final Set<String> NOT_SERVED_LOCALLY_ALLOWED = Set.of("ServiceMonitor");

    private static LocalKubeApi api;
    private static Path kubeconfig;
    private static Path work;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(kubectlPath() != null, "no kubectl on this machine");
        api = LocalKubeApi.start(0);
        work = Files.createDirectories(Path.of("target", "kubectl-apply"));
        kubeconfig = api.writeKubeconfig(work.resolve("kubeconfig"));
        Run crd = kubectl(null, "apply", "--validate=false", "-f", ChartFiles.CHART.resolve("crds").toString());
        assertThat(crd.exit()).as(crd.err()).isZero();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    // Namespaces are applied as a GitOps tool applies them, from a manifest.
    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void theRenderedManifestsApplyWithKubectlAndApplyingAgainChangesNothing(ValueSet values) throws Exception {
        // a fresh installation per value set, each in its own namespace
        String namespace = "tessera-" + values.name().toLowerCase().replace('_', '-');
        assertThat(kubectl("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + namespace + "\n",
                "apply", "--validate=false", "-f", "-").exit()).isZero();
        // and its own release name: the operator's ClusterRole and binding are cluster-wide, named after the release
        String release = "t" + values.ordinal();
        RenderedChart chart = RenderedChart.render(values.file(), t -> t.withName(release).withNamespace(namespace));
        Set<String> served = servedKinds();
        List<String> documents = new ArrayList<>();
        Set<String> skipped = new TreeSet<>();
        for (HasMetadata object : chart.objects()) {
            if (served.contains(object.getKind())) {
                documents.add(new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asYaml(object));
            } else {
                skipped.add(object.getKind());
            }
        }
        assertThat(NOT_SERVED_LOCALLY_ALLOWED).as("only these kinds may be missing from the local API").containsAll(skipped);

        String manifests = String.join("\n", documents);
        Run applied = kubectl(manifests, "apply", "--validate=false", "-f", "-");
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(applied.out().lines().count()).isEqualTo(documents.size());

        Run again = kubectl(manifests, "apply", "--validate=false", "-f", "-");
        assertThat(again.exit()).as(again.err()).isZero();
        // kubectl always re-sends a PodDisruptionBudget's selector (its patch strategy is "replace"), so it
        // reports "configured" there even when nothing changes; the stored PDBs are compared below instead
        assertThat(again.out().lines().filter(l -> !l.startsWith("poddisruptionbudget.policy/")))
                .as("a second sync is a no-op").allMatch(l -> l.endsWith(" unchanged"));

        KubernetesClient client = api.client();
        for (Deployment deployment : chart.all(Deployment.class)) {
            Deployment stored = client.apps().deployments().inNamespace(namespace)
                    .withName(deployment.getMetadata().getName()).get();
            assertThat(stored).as(deployment.getMetadata().getName()).isNotNull();
            assertThat(stored.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        }
        for (PodDisruptionBudget pdb : chart.all(PodDisruptionBudget.class)) {
            PodDisruptionBudget stored = client.policy().v1().podDisruptionBudget().inNamespace(namespace)
                    .withName(pdb.getMetadata().getName()).get();
            assertThat(stored.getSpec()).isEqualTo(pdb.getSpec());
        }
        assertThat(client.configMaps().inNamespace(namespace)
                .withName(release + "-tessera-scheduler-catalog").get()).isNotNull();
        assertThat(client.rbac().clusterRoleBindings().withName(release + "-tessera-operator").get().getSubjects())
                .singleElement().satisfies(s -> assertThat(s.getNamespace()).isEqualTo(namespace));
    }

    /** The job NOTES.txt tells a new user to submit is valid against the CRD the chart installs. */
    @Test
    void theFirstJobFromTheNotesIsAccepted() throws Exception {
        String notes = Files.readString(ChartFiles.CHART.resolve("templates").resolve("NOTES.txt"));
        String job = notes.lines()
                .dropWhile(l -> !l.contains("<<'YAML'")).skip(1)
                .takeWhile(l -> !l.strip().equals("YAML"))
                .map(l -> l.startsWith("  ") ? l.substring(2) : l)
                .map(l -> l.replace("{{ (first .Values.catalog.chips | default (list (dict \"id\" \"h800\"))).id }}", "h100"))
                .collect(Collectors.joining("\n"));
        assertThat(job).contains("kind: TrainingJob").doesNotContain("{{");
        Run applied = kubectl(job, "apply", "--validate=false", "-f", "-");
        assertThat(applied.exit()).as(applied.err()).isZero();
        Run got = kubectl(null, "-n", "default", "get", "tj", "first-job");
        assertThat(got.exit()).as(got.err()).isZero();
        assertThat(got.out()).contains("first-job");
    }

    private static Set<String> servedKinds() throws Exception {
        Run resources = kubectl(null, "api-resources", "--no-headers", "-o", "wide");
        assertThat(resources.exit()).as(resources.err()).isZero();
        Set<String> kinds = new TreeSet<>();
        // columns: NAME [SHORTNAMES] APIVERSION NAMESPACED KIND VERBS...; KIND follows the true/false column
        for (String line : resources.out().lines().toList()) {
            String[] cols = line.trim().split("\\s+");
            for (int i = 0; i + 1 < cols.length; i++) {
                if (cols[i].equals("true") || cols[i].equals("false")) {
                    kinds.add(cols[i + 1]);
                    break;
                }
            }
        }
        return kinds;
    }

    private static Run kubectl(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(kubectlPath(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        // output goes to files: reading two pipes one after the other can block kubectl on the other one
        Path out = Files.createTempFile(work, "kubectl", ".out");
        Path err = Files.createTempFile(work, "kubectl", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (var stdinPipe = process.getOutputStream()) {
            if (stdin != null) {
                stdinPipe.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish");
        }
        Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    /** {@code $KUBECTL}, else kubectl on the PATH. */
    private static String kubectlPath() {
        String explicit = System.getenv("KUBECTL");
        if (explicit != null && Files.isExecutable(Path.of(explicit))) {
            return explicit;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
