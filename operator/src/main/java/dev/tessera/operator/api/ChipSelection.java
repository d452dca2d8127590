package dev.tessera.operator.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChipSelection {
    /**
     * Bounds on both lists and their ids: the API server estimates the cost of the CEL rule that checks
     * {@code preferred} against {@code allowed} from them, and refuses the CRD when the estimate is unbounded.
     */
    static final int MAX_MODELS = 64;

    @JsonPropertyDescription("Chip model ids the job may run on (for example h800, a800, ascend-910b). Empty: any chip model in the catalog.")
    @Size(max = MAX_MODELS)
    private List<@Size(max = 63) String> allowed = new ArrayList<>();

    @JsonPropertyDescription("Chip model ids to try first, in order; each must also be allowed.")
    @Size(max = MAX_MODELS)
    private List<@Size(max = 63) String> preferred = new ArrayList<>();

    @JsonPropertyDescription("Allowed: shards may sit on different chip models, the batch split by shard speed. SingleType: every shard on one chip model.")
    @Default("Allowed")
    private Mixing mixing = Mixing.Allowed;

    public List<String> getAllowed() { return allowed; }
    public void setAllowed(List<String> allowed) { this.allowed = allowed; }
    public List<String> getPreferred() { return preferred; }
    public void setPreferred(List<String> preferred) { this.preferred = preferred; }
    public Mixing getMixing() { return mixing; }
    public void setMixing(Mixing mixing) { this.mixing = mixing; }
}
