package dev.tessera.operator.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingJobStatus {
    @JsonPropertyDescription("Pending, Placed, Running, Succeeded, Failed or Suspended.")
    private Phase phase;
    @JsonPropertyDescription("The spec generation this status describes.")
    private Long observedGeneration;
    @JsonPropertyDescription("Placed, Running, Complete, Failed, Suspended and Degraded, by Kubernetes conventions.")
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("Where the job's shards run, as granted by the scheduler.")
    private PlacementStatus placement;
    @JsonPropertyDescription("Shards whose workers all run.")
    private Integer shardsRunning;
    @JsonPropertyDescription("Running and wanted shards, for example 16/16.")
    private String shardsSummary;
    @JsonPropertyDescription("What kubectl get prints: chips per model, H100-equivalents, submission time.")
    private StatusSummary summary;
    @JsonPropertyDescription("Worker restarts so far, over all shards.")
    private Integer restarts;
    @JsonPropertyDescription("Worker failures per pool; a pool reaching failurePolicy.avoidPoolAfter is avoided.")
    private Map<String, Integer> poolFailures = new TreeMap<>();
    @JsonPropertyDescription("When the job first had all its workers running.")
    private String startTime;
    @JsonPropertyDescription("When the job succeeded or failed.")
    private String completionTime;
    @JsonPropertyDescription("Digest of the spec fields the current placement was made for; a change re-places the job.")
    private String placementSignature;

    public Phase getPhase() { return phase; }
    public void setPhase(Phase phase) { this.phase = phase; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public PlacementStatus getPlacement() { return placement; }
    public void setPlacement(PlacementStatus placement) { this.placement = placement; }
    public Integer getShardsRunning() { return shardsRunning; }
    public void setShardsRunning(Integer shardsRunning) { this.shardsRunning = shardsRunning; }
    public String getShardsSummary() { return shardsSummary; }
    public void setShardsSummary(String shardsSummary) { this.shardsSummary = shardsSummary; }
    public StatusSummary getSummary() { return summary; }
    public void setSummary(StatusSummary summary) { this.summary = summary; }
    public Integer getRestarts() { return restarts; }
    public void setRestarts(Integer restarts) { this.restarts = restarts; }
    public Map<String, Integer> getPoolFailures() { return poolFailures; }
    public void setPoolFailures(Map<String, Integer> poolFailures) { this.poolFailures = poolFailures; }
    public String getStartTime() { return startTime; }
    public void setStartTime(String startTime) { this.startTime = startTime; }
    public String getCompletionTime() { return completionTime; }
    public void setCompletionTime(String completionTime) { this.completionTime = completionTime; }
    public String getPlacementSignature() { return placementSignature; }
    public void setPlacementSignature(String placementSignature) { this.placementSignature = placementSignature; }
}
