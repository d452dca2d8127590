package dev.tessera.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

public class FailurePolicy {
    @JsonPropertyDescription("Worker restarts, summed over all shards, before the job is marked Failed.")
    @Default("3")
    @Min(0)
    @Max(1000)
    private int maxRestarts = 3;

    @JsonPropertyDescription("Failures on one pool after which the shards there are moved to other pools.")
    @Default("2")
    @Min(1)
    @Max(1000)
    private int avoidPoolAfter = 2;

    public int getMaxRestarts() { return maxRestarts; }
    public void setMaxRestarts(int maxRestarts) { this.maxRestarts = maxRestarts; }
    public int getAvoidPoolAfter() { return avoidPoolAfter; }
    public void setAvoidPoolAfter(int avoidPoolAfter) { this.avoidPoolAfter = avoidPoolAfter; }
}
