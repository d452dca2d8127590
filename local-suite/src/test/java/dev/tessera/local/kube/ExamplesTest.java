package dev.tessera.local.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped examples against the operator's generated CRD: the good ones pass, the bad one fails for its two reasons. */
class ExamplesTest {

    private static final Path ROOT = Path.of("..");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static CrdSchemaValidator crd() {
        Path crd = ROOT.resolve("crds/trainingjobs.tessera.dev-v1.yml");
        Assumptions.assumeTrue(Files.isRegularFile(crd), "the operator build has not generated the CRD");
        return CrdSchemaValidator.fromYaml(crd);
    }

    private static JsonNode example(String name) throws Exception {
        return YAML.readTree(ROOT.resolve("examples").resolve(name).toFile());
    }

    @Test
    void validExamplesPass() throws Exception {
        CrdSchemaValidator validator = crd();
        for (String name : List.of("01-mixed-chip-pretraining.yml", "02-single-chip-type.yml",
                "03-small-fine-tuning.yml", "04-waiting-for-delivery.yml")) {
            JsonNode job = example(name);
            assertThat(validator.validate(job)).as(name).isEmpty();
            assertThat(validator.unknownFields(job)).as(name).isEmpty();
        }
    }

    @Test
    void theSpecErrorExampleFailsForBothMistakes() throws Exception {
        List<FieldError> errors = crd().validate(example("05-spec-error.yml"));
        assertThat(errors).extracting(FieldError::field).contains("spec.chips.mixing");
        assertThat(errors).extracting(FieldError::reason).contains(FieldError.NOT_SUPPORTED);
    }

    @Test
    void theCelRuleOfTheRealCrdRuns() throws Exception {
        JsonNode job = example("03-small-fine-tuning.yml");
        ((com.fasterxml.jackson.databind.node.ObjectNode) job.get("spec")).put("minShards", 3);
        assertThat(crd().validate(job)).extracting(FieldError::toString)
                .anySatisfy(e -> assertThat(e).contains("minShards must not exceed shards"));
    }

    @Test
    void aJobWithoutSpecIsRefused() throws Exception {
        JsonNode job = YAML.readTree("""
                apiVersion: tessera.dev/v1alpha1
                kind: TrainingJob
                metadata: {name: empty, namespace: llm}
                """);
        assertThat(crd().validate(job)).extracting(FieldError::toString).containsExactly("spec: Required value");
    }
}
