package dev.tessera.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The figures `kubectl get tj` prints, kept together so the columns come out in a readable order. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StatusSummary {
    @JsonPropertyDescription("Chips held per chip model, for example h800:320,ascend-910b:192.")
    private String chips;
    @JsonPropertyDescription("Estimated throughput of the placement in H100-equivalents for this workload.")
    private Double h100Equivalent;
    @JsonPropertyDescription("When the job was submitted (its creation time).")
    private String submitted;

    public String getChips() { return chips; }
    public void setChips(String chips) { this.chips = chips; }
    public Double getH100Equivalent() { return h100Equivalent; }
    public void setH100Equivalent(Double h100Equivalent) { this.h100Equivalent = h100Equivalent; }
    public String getSubmitted() { return submitted; }
    public void setSubmitted(String submitted) { this.submitted = submitted; }
}
