package dev.tessera.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Helm's own checks: strict lint, and the values schema refusing what would only fail at run time. */
class ChartValidationTest {

    @TempDir
    static Path scratch;

    @Test
    void lintsStrictly() {
        LintResult result = new Helm(ChartFiles.CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    /**
     * helm-java's lint takes no values file, so each value set is linted as a copy of the chart whose
     * values.yaml is the defaults merged with the set, the way Helm merges them (maps deep, lists replaced).
     */
    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void lintsStrictlyWithEveryValueSet(ValueSet values) throws IOException {
        Path copy = scratch.resolve("lint-" + values.name());
        copyTree(ChartFiles.CHART, copy);
        Map<String, Object> merged = readYaml(ChartFiles.CHART.resolve("values.yaml"));
        if (values.file().isPresent()) {
            merge(merged, readYaml(values.file().get()));
        }
        Files.writeString(copy.resolve("values.yaml"), YAML.asYaml(merged));
        LintResult result = new Helm(copy).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void everyValueSetRenders(ValueSet values) {
        assertThat(RenderedChart.of(values).ofKind("Deployment")).hasSize(3);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("two schedulers would book chips twice", "scheduler:\n  replicas: 2\n", "/scheduler/replicas"),
                Arguments.of("negative replicas", "operator:\n  replicas: -1\n", "/operator/replicas"),
                Arguments.of("replicas as text", "inventory:\n  replicas: three\n", "/inventory/replicas"),
                Arguments.of("a typo in a key", "operator:\n  replicaCount: 2\n", "replicaCount"),
                Arguments.of("an unknown top-level key", "schedular:\n  replicas: 1\n", "schedular"),
                Arguments.of("a pull policy Kubernetes does not know", "image:\n  pullPolicy: Sometimes\n", "pullPolicy"),
                Arguments.of("running as root", "podSecurity:\n  runAsUser: 0\n  runAsGroup: 0\n  fsGroup: 0\n", "runAsUser"),
                Arguments.of("a database URL that is not JDBC", "database:\n  url: postgres://db:5432/tessera\n", "/database/url"),
                Arguments.of("postgresql.enabled as text", "postgresql:\n  enabled: \"yes\"\n", "/postgresql/enabled"),
                Arguments.of("no chips on a node", chip("id: h800", "confidence: HIGH").replace("chipsPerNode: 8", "chipsPerNode: 0"), "chipsPerNode"),
                Arguments.of("a negative figure", "catalog:\n  chips:\n    - {id: h800, interconnectGBps: -400}\n", "interconnectGBps"),
                Arguments.of("a chip without an id", chip("vendor: NVIDIA", "confidence: HIGH"), "id"),
                Arguments.of("a chip id that is no node label value", chip("id: H800 SXM", "confidence: HIGH"), "id"),
                Arguments.of("a confidence outside the scale", chip("id: h800", "confidence: SURE"), "confidence"),
                Arguments.of("a chip field the scheduler does not read", chip("id: h800", "confidence: HIGH\n      tflops: 3"), "tflops"),
                Arguments.of("limits removed", "operator:\n  resources:\n    limits: null\n", "limits"),
                Arguments.of("an env var without a name", "scheduler:\n  extraEnv:\n    - value: x\n", "name"),
                Arguments.of("a deferral the operator cannot read", "operator:\n  workerStartDeferral: ten seconds\n", "workerStartDeferral"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValuesAreRefusedBeforeAnythingIsInstalled(String why, String values, String named) throws IOException {
        Path file = Files.writeString(scratch.resolve(why.replaceAll("\\W+", "-") + ".yaml"), values);
        assertThatThrownBy(() -> RenderedChart.render(Optional.of(file), t -> { }))
                .as(why)
                .hasMessageContaining(named);
    }

    @Test
    void aChipModelListedTwiceIsRefused() throws IOException {
        String twice = "catalog:\n  chips:\n" + chipEntry("a100") + chipEntry("a100");
        Path file = Files.writeString(scratch.resolve("twice.yaml"), twice);
        assertThatThrownBy(() -> RenderedChart.render(Optional.of(file), t -> { }))
                .hasMessageContaining("\"a100\" appears twice");
    }

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readYaml(Path file) throws IOException {
        return YAML.unmarshal(Files.readString(file), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> base, Map<String, Object> override) {
        override.forEach((key, value) -> {
            if (value instanceof Map<?, ?> inner && base.get(key) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) inner);
            } else {
                base.put(key, value);
            }
        });
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static String chip(String first, String last) {
        return "catalog:\n  chips:\n    - " + first + "\n      vendor: NVIDIA\n      name: X\n      bf16Tflops: 1\n"
                + "      memoryGiB: 1\n      memoryBandwidthGBps: 1\n      interconnectGBps: 1\n"
                + "      resourceName: nvidia.com/gpu\n      chipsPerNode: 8\n      " + last + "\n";
    }

    private static String chipEntry(String id) {
        return "    - {id: " + id + ", vendor: NVIDIA, name: A100, bf16Tflops: 312, memoryGiB: 80, memoryBandwidthGBps: 2039,"
                + " interconnectGBps: 600, resourceName: nvidia.com/gpu, chipsPerNode: 8, confidence: HIGH}\n";
    }
}
