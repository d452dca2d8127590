package dev.tessera.local.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ValidationRatchetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aFinalizerOrLabelChangeIsNotValidatedAgain() throws Exception {
        JsonNode old = json("""
                {"apiVersion":"tessera.dev/v1alpha1","kind":"TrainingJob","metadata":{"name":"a","resourceVersion":"7"},
                 "spec":{"shards":2},"status":{"phase":"Placed"}}""");
        JsonNode withFinalizer = json("""
                {"apiVersion":"tessera.dev/v1alpha1","kind":"TrainingJob",
                 "metadata":{"name":"a","resourceVersion":"7","finalizers":["x/f"],"labels":{"team":"llm"}},
                 "spec":{"shards":2},"status":{"phase":"Placed"}}""");
        assertThat(KubeApiFront.onlyMetadataChanged(withFinalizer, old)).isTrue();
    }

    @Test
    void aChangedSpecOrStatusAnAddedFieldOrACreateIsValidated() throws Exception {
        JsonNode old = json("""
                {"apiVersion":"tessera.dev/v1alpha1","kind":"TrainingJob","metadata":{"name":"a"},"spec":{"shards":2}}""");
        assertThat(KubeApiFront.onlyMetadataChanged(json("""
                {"apiVersion":"tessera.dev/v1alpha1","kind":"TrainingJob","metadata":{"name":"a"},"spec":{"shards":0}}"""), old))
                .isFalse();
        assertThat(KubeApiFront.onlyMetadataChanged(json("""
                {"apiVersion":"tessera.dev/v1alpha1","kind":"TrainingJob","metadata":{"name":"a"},"spec":{"shards":2},
                 "status":{"phase":"Running"}}"""), old)).isFalse();
        assertThat(KubeApiFront.onlyMetadataChanged(json("""
                {"apiVersion":"tessera.dev/v1","kind":"TrainingJob","metadata":{"name":"a"},"spec":{"shards":2}}"""), old))
                .isFalse();
        assertThat(KubeApiFront.onlyMetadataChanged(old, null)).isFalse();
    }
}
