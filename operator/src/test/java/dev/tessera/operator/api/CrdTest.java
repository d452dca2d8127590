package dev.tessera.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.tessera.local.kube.CrdSchemaValidator;
import dev.tessera.local.kube.FieldError;

/**
 * The committed CRD is what the code generates, documents every field, and refuses bad manifests at
 * apply time (schema and CEL rules, evaluated as an API server would).
 */
class CrdTest {
    static final Path COMMITTED = Path.of("..", "crds", "trainingjobs.tessera.dev-v1.yml");
    static final Path GENERATED = Path.of("target", "kubernetes", "trainingjobs.tessera.dev-v1.yml");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static CrdSchemaValidator validator;

    @BeforeAll
    static void load() {
        validator = CrdSchemaValidator.fromYaml(COMMITTED);
    }

    @Test
    void committedCrdIsWhatTheCodeGenerates() throws IOException {
        Path generated = CrdGeneration.generate(Path.of("target", "crd-check"));
        assertThat(Files.readString(generated))
                .as("crds/trainingjobs.tessera.dev-v1.yml is stale: run ./mvnw -pl operator package and copy "
                        + GENERATED + " to crds/")
                .isEqualTo(Files.readString(COMMITTED));
    }

    @Test
    void everySpecAndStatusFieldIsDescribed() throws IOException {
        JsonNode schema = YAML.readTree(COMMITTED.toFile()).at("/spec/versions/0/schema/openAPIV3Schema/properties");
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(schema.get("spec"), "spec", undocumented);
        collectUndocumented(schema.get("status"), "status", undocumented);
        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(JsonNode node, String path, List<String> out) {
        JsonNode props = node.get("properties");
        if (props == null || path.startsWith("spec.template") || path.startsWith("status.conditions")) {
            return;
        }
        props.fields().forEachRemaining(e -> {
            String p = path + "." + e.getKey();
            if (!e.getValue().has("description")) {
                out.add(p);
            }
            collectUndocumented(e.getValue(), p, out);
            if (e.getValue().has("items")) {
                collectUndocumented(e.getValue().get("items"), p + "[]", out);
            }
        });
    }

    @Test
    void theListsTheCelRuleWalksAreBoundedSoTheApiServerCanCostIt() throws IOException {
        // kube-apiserver refuses a CRD whose rule's estimated cost is unbounded: preferred.all(c, c in allowed)
        // over lists without maxItems, of strings without maxLength, is estimated at about 10^12
        JsonNode chips = YAML.readTree(COMMITTED.toFile()).at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/chips/properties");
        for (String list : List.of("allowed", "preferred")) {
            assertThat(chips.at("/" + list + "/maxItems").asInt()).as(list).isEqualTo(64);
            assertThat(chips.at("/" + list + "/items/maxLength").asInt()).as(list + " items").isEqualTo(63);
        }
    }

    @Test
    void crdCarriesStatusSubresourceShortNameAndPrinterColumns() throws IOException {
        JsonNode crd = YAML.readTree(COMMITTED.toFile());
        assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("tj");
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
        List<String> columns = new ArrayList<>();
        crd.at("/spec/versions/0/additionalPrinterColumns").forEach(c -> columns.add(c.get("name").asText()));
        assertThat(columns).containsExactly("Phase", "Shards", "Chips", "H100-eq", "Age");
    }

    @Test
    void aGoodManifestIsAccepted() throws IOException {
        assertThat(validator.validate(manifest())).isEmpty();
    }

    static List<Arguments> badManifests() {
        return List.of(
                Arguments.of("shards below 1", Map.of("shards", 0), "spec.shards"),
                Arguments.of("chipsPerShard below 1", Map.of("chipsPerShard", 0), "spec.chipsPerShard"),
                Arguments.of("minShards above shards", Map.of("shards", 4, "minShards", 8), "spec.minShards"),
                Arguments.of("chipsPerShard not a multiple of tensorParallel", Map.of("chipsPerShard", 12, "tensorParallel", 8),
                        "spec.chipsPerShard"),
                Arguments.of("wide shard without tensorParallel", Map.of("chipsPerShard", 12), "spec.chipsPerShard"),
                Arguments.of("unknown mixing", Map.of("chips", Map.of("mixing", "Sometimes")), "spec.chips.mixing"),
                Arguments.of("unknown communication", Map.of("workload", Map.of("communication", "Extreme")),
                        "spec.workload.communication"),
                Arguments.of("preferred not allowed", Map.of("chips", Map.of("allowed", List.of("a800"), "preferred", List.of("h800"))),
                        "spec.chips.preferred"),
                Arguments.of("more allowed chip models than the bound",
                        Map.of("chips", Map.of("allowed", java.util.stream.IntStream.range(0, 65).mapToObj(i -> "c" + i).toList())),
                        "spec.chips.allowed"),
                Arguments.of("a chip model id longer than a label", Map.of("chips", Map.of("preferred", List.of("x".repeat(64)))),
                        "spec.chips.preferred"),
                Arguments.of("negative maxRestarts", Map.of("failurePolicy", Map.of("maxRestarts", -1)),
                        "spec.failurePolicy.maxRestarts"),
                Arguments.of("shards as a string", Map.of("shards", "many"), "spec.shards"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badManifests")
    void badManifestsAreRefused(String title, Map<String, Object> overrides, String field) throws IOException {
        ObjectNode tj = manifest();
        ObjectNode spec = (ObjectNode) tj.get("spec");
        overrides.forEach((k, v) -> spec.set(k, YAML.valueToTree(v)));
        List<FieldError> errors = validator.validate(tj);
        assertThat(errors).as(title).isNotEmpty();
        assertThat(errors).extracting(FieldError::field).as(title).anyMatch(f -> f.startsWith(field));
    }

    @Test
    void requiredFieldsAreRequired() throws IOException {
        for (String field : List.of("shards", "chipsPerShard", "template")) {
            ObjectNode tj = manifest();
            ((ObjectNode) tj.get("spec")).remove(field);
            assertThat(validator.validate(tj)).as(field).extracting(FieldError::field)
                    .anyMatch(f -> f.startsWith("spec." + field) || f.equals("spec"));
        }
    }

    static ObjectNode manifest() throws IOException {
        return (ObjectNode) YAML.readTree("""
                apiVersion: tessera.dev/v1alpha1
                kind: TrainingJob
                metadata: {name: ernie-pretrain, namespace: llm}
                spec:
                  queue: llm-core
                  priority: 100
                  shards: 16
                  minShards: 8
                  chipsPerShard: 32
                  tensorParallel: 8
                  chips: {allowed: [h800, a800, ascend-910b], preferred: [h800], mixing: Allowed}
                  workload: {communication: High, parametersBillions: 70, totalSteps: 250000}
                  failurePolicy: {maxRestarts: 3, avoidPoolAfter: 2}
                  template:
                    spec:
                      containers: [{name: trainer, image: registry.example/llm:1.0, command: [python, train.py]}]
                """);
    }
}
