package dev.tessera.bench.openb;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One line of {@code openb_node_list_gpu_node.csv}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OpenbNodeRow(@JsonProperty("sn") String name, @JsonProperty("gpu") int gpus,
                           @JsonProperty("model") String model) {
}
