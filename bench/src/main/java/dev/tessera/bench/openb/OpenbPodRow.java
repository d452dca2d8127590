package dev.tessera.bench.openb;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of an {@code openb_pod_list_*.csv}. The times are null in files that carry none
 * ({@code multigpu50}), and {@code scheduledTime} is null for tasks the real cluster never ran.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OpenbPodRow(@JsonProperty("name") String name,
                          @JsonProperty("num_gpu") int numGpu,
                          @JsonProperty("gpu_milli") int gpuMilli,
                          @JsonProperty("gpu_spec") String gpuSpec,
                          @JsonProperty("qos") String qos,
                          @JsonProperty("pod_phase") String podPhase,
                          @JsonProperty("creation_time") Long creationTime,
                          @JsonProperty("deletion_time") Long deletionTime,
                          @JsonProperty("scheduled_time") Long scheduledTime) {

    public boolean sharesGpu() {
        return numGpu == 1 && gpuMilli > 0 && gpuMilli < 1000;
    }
}
