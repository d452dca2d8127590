package dev.tessera.local.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void agesReadLikeKubectls() {
        assertThat(TableView.age(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(TableView.age(Duration.ofSeconds(200))).isEqualTo("3m20s");
        assertThat(TableView.age(Duration.ofMinutes(42))).isEqualTo("42m");
        assertThat(TableView.age(Duration.ofMinutes(5 * 60 + 7))).isEqualTo("5h7m");
        assertThat(TableView.age(Duration.ofHours(27))).isEqualTo("27h");
        assertThat(TableView.age(Duration.ofHours(75))).isEqualTo("3d3h");
        assertThat(TableView.age(Duration.ofDays(30))).isEqualTo("30d");
    }

    @Test
    void jsonPathsFollowKeysWithEscapedDotsAndIndexes() throws Exception {
        JsonNode pod = JSON.readTree("""
                {"metadata": {"labels": {"tessera.dev/pool": "h800-a"}},
                 "status": {"containerStatuses": [{"restartCount": 2}]}}""");
        assertThat(TableView.select(pod, ".metadata.labels.tessera\\.dev/pool").asText()).isEqualTo("h800-a");
        assertThat(TableView.select(pod, ".status.containerStatuses[0].restartCount").asInt()).isEqualTo(2);
        assertThat(TableView.select(pod, ".spec.nodeName").isMissingNode()).isTrue();
    }

    @Test
    void aListBecomesRowsWithTheCrdColumns() throws Exception {
        JsonNode crd = JSON.readTree("""
                {"spec": {"versions": [{"name": "v1alpha1", "additionalPrinterColumns": [
                  {"name": "Phase", "type": "string", "jsonPath": ".status.phase"},
                  {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]}]}}""");
        JsonNode list = JSON.readTree("""
                {"metadata": {"resourceVersion": "7"}, "items": [
                  {"metadata": {"name": "a", "creationTimestamp": "2026-11-22T08:00:00Z"}, "status": {"phase": "Running"}},
                  {"metadata": {"name": "b", "creationTimestamp": "2026-11-22T07:00:00Z"}}]}""");
        JsonNode table = TableView.of(list, TableView.columnsOf(crd, "v1alpha1"), Instant.parse("2026-11-22T08:00:30Z"));
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Phase", "Age");
        assertThat(table.path("rows").get(0).path("cells").toString()).isEqualTo("[\"a\",\"Running\",\"30s\"]");
        assertThat(table.path("rows").get(1).path("cells").get(1).isNull()).isTrue();
        assertThat(table.path("rows").get(1).path("object").path("metadata").path("name").asText()).isEqualTo("b");
    }

    @Test
    void eventsReadLikeKubectlGetEvents() throws Exception {
        JsonNode list = JSON.readTree("""
                {"items": [{"metadata": {"name": "job.e1", "creationTimestamp": "2026-11-22T07:00:00Z"},
                  "lastTimestamp": "2026-11-22T08:00:00Z", "type": "Warning", "reason": "WorkerRestarting", "count": 3,
                  "involvedObject": {"kind": "TrainingJob", "name": "ernie-pretrain"}, "message": "worker failed"}]}""");
        JsonNode table = TableView.of(list, TableView.builtInColumns("events"), Instant.parse("2026-11-22T08:02:00Z"));
        assertThat(table.path("columnDefinitions").findValuesAsText("name"))
                .containsExactly("Name", "Last Seen", "Type", "Reason", "Object", "Count", "Message");
        assertThat(table.path("rows").get(0).path("cells").toString())
                .isEqualTo("[\"job.e1\",\"2m\",\"Warning\",\"WorkerRestarting\",\"ernie-pretrain\",3,\"worker failed\"]");
    }

    @Test
    void fieldSelectorsFilterLists() throws Exception {
        JsonNode list = JSON.readTree("""
                {"items": [{"metadata": {"name": "a"}, "spec": {"nodeName": "n1"}},
                           {"metadata": {"name": "b"}, "spec": {"nodeName": "n2"}}]}""");
        assertThat(KubeApiFront.filterByFields(list, "metadata.name=b").path("items").findValuesAsText("name")).containsExactly("b");
        assertThat(KubeApiFront.filterByFields(list, "spec.nodeName!=n1").path("items").findValuesAsText("name")).containsExactly("b");
        assertThat(KubeApiFront.filterByFields(list, "").path("items")).hasSize(2);
    }

    @Test
    void pathsAreTakenApart() {
        ResourcePath p = ResourcePath.parse("/apis/tessera.dev/v1alpha1/namespaces/llm/trainingjobs/j/status?fieldManager=x").orElseThrow();
        assertThat(List.of(p.group(), p.version(), p.namespace(), p.plural(), p.name(), p.subresource()))
                .containsExactly("tessera.dev", "v1alpha1", "llm", "trainingjobs", "j", "status");
        assertThat(p.isStatus()).isTrue();
        assertThat(p.query()).containsEntry("fieldManager", "x");
        assertThat(p.collectionPath()).isEqualTo("/apis/tessera.dev/v1alpha1/namespaces/llm/trainingjobs");
        ResourcePath ns = ResourcePath.parse("/api/v1/namespaces/default").orElseThrow();
        assertThat(List.of(ns.plural(), ns.name())).containsExactly("namespaces", "default");
        assertThat(ns.namespace()).isNull();
        assertThat(ResourcePath.parse("/apis/tessera.dev/v1alpha1")).isEmpty();
    }
}
