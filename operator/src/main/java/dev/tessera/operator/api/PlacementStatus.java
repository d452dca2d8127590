package dev.tessera.operator.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlacementStatus {
    @JsonPropertyDescription("Where each shard runs.")
    private List<ShardPlacement> shards = new ArrayList<>();
    @JsonPropertyDescription("The scheduler's estimate for this placement.")
    private Estimate estimate;
    @JsonPropertyDescription("Why the scheduler chose this placement, in words.")
    private List<String> explanation = new ArrayList<>();

    public List<ShardPlacement> getShards() { return shards; }
    public void setShards(List<ShardPlacement> shards) { this.shards = shards; }
    public Estimate getEstimate() { return estimate; }
    public void setEstimate(Estimate estimate) { this.estimate = estimate; }
    public List<String> getExplanation() { return explanation; }
    public void setExplanation(List<String> explanation) { this.explanation = explanation; }
}
