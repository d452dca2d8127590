package dev.tessera.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Estimate {
    @JsonPropertyDescription("Estimated training steps per second of the whole job on its placement.")
    private Double stepsPerSecond;
    @JsonPropertyDescription("Estimated throughput divided by what one H100 gives on the same workload.")
    private Double h100Equivalent;
    @JsonPropertyDescription("Estimated completion time (RFC 3339), from totalSteps and stepsPerSecond.")
    private String completionTime;

    public Double getStepsPerSecond() { return stepsPerSecond; }
    public void setStepsPerSecond(Double stepsPerSecond) { this.stepsPerSecond = stepsPerSecond; }
    public Double getH100Equivalent() { return h100Equivalent; }
    public void setH100Equivalent(Double h100Equivalent) { this.h100Equivalent = h100Equivalent; }
    public String getCompletionTime() { return completionTime; }
    public void setCompletionTime(String completionTime) { this.completionTime = completionTime; }
}
