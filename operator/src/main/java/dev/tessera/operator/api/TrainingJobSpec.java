package dev.tessera.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.minShards) || self.minShards <= self.shards",
        message = "minShards must not exceed shards", reason = "FieldValueInvalid", fieldPath = ".minShards")
@ValidationRule(value = "!has(self.tensorParallel) || self.chipsPerShard % self.tensorParallel == 0",
        message = "chipsPerShard must be a multiple of tensorParallel", reason = "FieldValueInvalid", fieldPath = ".chipsPerShard")
@ValidationRule(value = "has(self.tensorParallel) || self.chipsPerShard <= 8 || self.chipsPerShard % 8 == 0",
        message = "chipsPerShard above 8 must be a multiple of 8 unless tensorParallel is set", reason = "FieldValueInvalid", fieldPath = ".chipsPerShard")
@ValidationRule(value = "!has(self.chips) || !has(self.chips.preferred) || !has(self.chips.allowed) || size(self.chips.allowed) == 0 || self.chips.preferred.all(c, c in self.chips.allowed)",
        message = "every preferred chip model must also be allowed", reason = "FieldValueInvalid", fieldPath = ".chips.preferred")
public class TrainingJobSpec {
    @JsonPropertyDescription("The team whose quota pays for the chips.")
    @Default("default")
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(max = 63)
    private String queue = "default";

    @JsonPropertyDescription("Higher places first and may preempt lower-priority jobs.")
    @Default("0")
    @Min(-1000000)
    @Max(1000000)
    private int priority;

    @JsonPropertyDescription("true: stop the workers and release the chips, keep the job; false: place it again.")
    @Default("false")
    private boolean suspend;

    @JsonPropertyDescription("Data-parallel replicas wanted.")
    @Required
    @Min(1)
    @Max(4096)
    private int shards;

    @JsonPropertyDescription("Fewest shards that may run (gang lower bound). Default: shards.")
    @Min(1)
    @Max(4096)
    private Integer minShards;

    @JsonPropertyDescription("Chips one replica needs (tensor x pipeline parallel), all of one chip model in one pool.")
    @Required
    @Min(1)
    @Max(4096)
    private int chipsPerShard;

    @JsonPropertyDescription("Chips of one tensor-parallel group; they always share a node. Default: min(chipsPerShard, 8).")
    @Min(1)
    @Max(64)
    private Integer tensorParallel;

    @JsonPropertyDescription("Which chip models the job may use and whether it may mix them.")
    private ChipSelection chips = new ChipSelection();

    @JsonPropertyDescription("What the job computes, for the performance model and the completion estimate.")
    private Workload workload = new Workload();

    @JsonPropertyDescription("How worker failures are handled.")
    private FailurePolicy failurePolicy = new FailurePolicy();

    @JsonPropertyDescription("Pod template of one worker (image, command, env, ...). The operator adds the node selector, the chip resource request and the TESSERA_* and torch.distributed environment.")
    @Required
    @PreserveUnknownFields
    private PodTemplateSpec template;

    @JsonIgnore
    public int effectiveMinShards() {
        return minShards == null ? shards : minShards;
    }

    @JsonIgnore
    public int effectiveTensorParallel() {
        return tensorParallel == null ? Math.min(chipsPerShard, 8) : tensorParallel;
    }

    public String getQueue() { return queue; }
    public void setQueue(String queue) { this.queue = queue; }
    public int getPriority() { return priority; }
    public void setPriority(int priority) { this.priority = priority; }
    public boolean isSuspend() { return suspend; }
    public void setSuspend(boolean suspend) { this.suspend = suspend; }
    public int getShards() { return shards; }
    public void setShards(int shards) { this.shards = shards; }
    public Integer getMinShards() { return minShards; }
    public void setMinShards(Integer minShards) { this.minShards = minShards; }
    public int getChipsPerShard() { return chipsPerShard; }
    public void setChipsPerShard(int chipsPerShard) { this.chipsPerShard = chipsPerShard; }
    public Integer getTensorParallel() { return tensorParallel; }
    public void setTensorParallel(Integer tensorParallel) { this.tensorParallel = tensorParallel; }
    public ChipSelection getChips() { return chips; }
    public void setChips(ChipSelection chips) { this.chips = chips; }
    public Workload getWorkload() { return workload; }
    public void setWorkload(Workload workload) { this.workload = workload; }
    public FailurePolicy getFailurePolicy() { return failurePolicy; }
    public void setFailurePolicy(FailurePolicy failurePolicy) { this.failurePolicy = failurePolicy; }
    public PodTemplateSpec getTemplate() { return template; }
    public void setTemplate(PodTemplateSpec template) { this.template = template; }
}
