package dev.tessera.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Workload {
    @JsonPropertyDescription("Key into a measured throughput table (for example \"LM (batch size 20)\"); without it the scheduler uses its analytic model.")
    private String profile;

    @JsonPropertyDescription("How much the job leans on chip-to-chip bandwidth: Low, Medium or High.")
    @Default("Medium")
    private Communication communication = Communication.Medium;

    @JsonPropertyDescription("Model size in billions of parameters; drives the communication volume in the performance model.")
    @Min(0)
    @Max(100000)
    private Double parametersBillions;

    @JsonPropertyDescription("Training steps to run; with the estimated steps per second it gives progress and the completion estimate.")
    @Min(1)
    private Long totalSteps;

    public String getProfile() { return profile; }
    public void setProfile(String profile) { this.profile = profile; }
    public Communication getCommunication() { return communication; }
    public void setCommunication(Communication communication) { this.communication = communication; }
    public Double getParametersBillions() { return parametersBillions; }
    public void setParametersBillions(Double parametersBillions) { this.parametersBillions = parametersBillions; }
    public Long getTotalSteps() { return totalSteps; }
    public void setTotalSteps(Long totalSteps) { this.totalSteps = totalSteps; }
}
