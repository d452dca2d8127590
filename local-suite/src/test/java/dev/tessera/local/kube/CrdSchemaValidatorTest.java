package dev.tessera.local.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CrdSchemaValidatorTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CrdSchemaValidator VALIDATOR = load();

    private static CrdSchemaValidator load() {
        InputStream crd = CrdSchemaValidatorTest.class.getResourceAsStream("/test-trainingjob-crd.yml");
        return CrdSchemaValidator.fromYaml(crd);
    }

    private static JsonNode job(String spec) throws Exception {
        return YAML.readTree("""
                apiVersion: tessera.dev/v1alpha1
                kind: TrainingJob
                metadata: {name: j, namespace: llm}
                spec:
                """ + spec.indent(2));
    }

    @Test
    void namesComeFromTheCrd() {
        assertThat(VALIDATOR.group()).isEqualTo("tessera.dev");
        assertThat(VALIDATOR.kind()).isEqualTo("TrainingJob");
        assertThat(VALIDATOR.plural()).isEqualTo("trainingjobs");
    }

    @Test
    void aValidJobPasses() throws Exception {
        JsonNode job = job("""
                shards: 4
                minShards: 2
                chipsPerShard: 16
                tensorParallel: 8
                chips: {allowed: [h800, a800], mixing: Allowed}
                workload: {communication: High, profile: null, batch: "50%"}
                template: {spec: {containers: [{name: t, image: x}]}}
                """);
        assertThat(VALIDATOR.validate(job)).isEmpty();
    }

    @Test
    void schemaErrorsNameTheFieldLikeTheApiServer() throws Exception {
        List<FieldError> errors = VALIDATOR.validate(job("""
                shards: 0
                chips: {mixing: Mixed}
                """));
        assertThat(errors).extracting(FieldError::field)
                .containsExactly("spec.chips.mixing", "spec.chipsPerShard", "spec.shards");
        assertThat(errors.get(0).reason()).isEqualTo(FieldError.NOT_SUPPORTED);
        assertThat(errors.get(0).message()).contains("\"Mixed\"").contains("\"Allowed\"", "\"SingleType\"");
        assertThat(errors.get(1)).hasToString("spec.chipsPerShard: Required value");
        assertThat(errors.get(2).reason()).isEqualTo(FieldError.INVALID);
        assertThat(errors.get(2).message()).startsWith("Invalid value: 0: ").contains("1");
    }

    @Test
    void wrongTypeIsATypeError() throws Exception {
        List<FieldError> errors = VALIDATOR.validate(job("""
                shards: many
                chipsPerShard: 8
                """));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("spec.shards");
            assertThat(e.reason()).isEqualTo(FieldError.TYPE_INVALID);
        });
    }

    @Test
    void intOrStringAcceptsBothAndNothingElse() throws Exception {
        assertThat(VALIDATOR.validate(job("{shards: 1, chipsPerShard: 8, workload: {batch: 3}}"))).isEmpty();
        assertThat(VALIDATOR.validate(job("{shards: 1, chipsPerShard: 8, workload: {batch: \"3\"}}"))).isEmpty();
        assertThat(VALIDATOR.validate(job("{shards: 1, chipsPerShard: 8, workload: {batch: [3]}}")))
                .extracting(FieldError::field).containsExactly("spec.workload.batch");
    }

    @Test
    void celRuleRefusesWithItsMessageAtItsFieldPath() throws Exception {
        List<FieldError> errors = VALIDATOR.validate(job("""
                shards: 2
                minShards: 3
                chipsPerShard: 12
                tensorParallel: 8
                """));
        assertThat(errors).extracting(FieldError::toString).containsExactly(
                "spec: Invalid value: \"object\": chipsPerShard must be a multiple of tensorParallel",
                "spec.minShards: Invalid value: \"object\": minShards must not exceed shards");
    }

    @Test
    void celRulesDoNotRunOnAMalformedObject() throws Exception {
        assertThat(VALIDATOR.validate(job("{shards: x, minShards: 3, chipsPerShard: 8}")))
                .extracting(FieldError::field).containsExactly("spec.shards");
    }

    @Test
    void transitionRulesRunOnlyOnUpdate() throws Exception {
        JsonNode before = job("{shards: 1, chipsPerShard: 8, failurePolicy: {maxRestarts: 3}}");
        JsonNode after = job("{shards: 1, chipsPerShard: 8, failurePolicy: {maxRestarts: 5}}");
        assertThat(VALIDATOR.validate(after)).isEmpty();
        assertThat(VALIDATOR.validateUpdate(after, before)).singleElement()
                .hasToString("spec.failurePolicy: Invalid value: \"object\": maxRestarts is immutable");
        assertThat(VALIDATOR.validateUpdate(before, before)).isEmpty();
    }

    @Test
    void defaultsAreFilledInWithoutTouchingTheInput() throws Exception {
        JsonNode job = job("{shards: 1, chipsPerShard: 8, chips: {allowed: [a100]}}");
        JsonNode defaulted = VALIDATOR.withDefaults(job);
        assertThat(defaulted.at("/spec/queue").asText()).isEqualTo("default");
        assertThat(defaulted.at("/spec/chips/mixing").asText()).isEqualTo("Allowed");
        assertThat(job.at("/spec/queue").isMissingNode()).isTrue();
    }

    @Test
    void unknownFieldsAreFoundButPreservedSubtreesAreNot() throws Exception {
        JsonNode job = job("""
                shards: 1
                chipsPerShard: 8
                shard: 2
                chips: {allowd: [a100]}
                template: {spec: {anything: goes}}
                """);
        assertThat(VALIDATOR.unknownFields(job)).containsExactlyInAnyOrder("spec.shard", "spec.chips.allowd");
    }

    @Test
    void theStoredObjectHasUnknownFieldsPrunedAndDefaultsFilledIn() throws Exception {
        JsonNode job = job("""
                shards: 1
                chipsPerShard: 8
                shard: 2
                chips: {allowd: [a100], allowed: [h800]}
                template: {spec: {anything: goes}}
                """);
        CrdSchemaValidator.Stored asStored = VALIDATOR.asStored(job);
        assertThat(asStored.pruned()).containsExactlyInAnyOrder("spec.shard", "spec.chips.allowd");
        JsonNode stored = asStored.object();
        assertThat(stored.at("/spec/shard").isMissingNode()).isTrue();
        assertThat(stored.at("/spec/chips/allowd").isMissingNode()).isTrue();
        assertThat(stored.at("/spec/chips/allowed/0").asText()).isEqualTo("h800");
        assertThat(stored.at("/spec/template/spec/anything").asText()).as("a preserved subtree").isEqualTo("goes");
        assertThat(stored.at("/spec/chips/mixing").asText()).isEqualTo("Allowed");
        assertThat(stored.at("/metadata/name").asText()).isEqualTo(job.at("/metadata/name").asText());
        assertThat(job.at("/spec/shard").asInt()).as("the input is left as it is").isEqualTo(2);
    }

    @Test
    void mapsAreValidatedLikeJson() {
        Map<String, Object> job = Map.of("apiVersion", "tessera.dev/v1alpha1", "kind", "TrainingJob",
                "metadata", Map.of("name", "j"), "spec", Map.of("shards", 1));
        assertThat(VALIDATOR.validate(job)).extracting(FieldError::field).containsExactly("spec.chipsPerShard");
    }
}
