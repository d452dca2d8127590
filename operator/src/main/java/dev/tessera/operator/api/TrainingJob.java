package dev.tessera.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The generator orders printer columns by JSON path, so the paths are chosen to read
 * Phase, Shards, Chips, H100-eq, Age.
 * <p>
 * A distributed training job whose data-parallel shards may run on several chip models at once.
 */
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
@Kind("TrainingJob")
@Plural("trainingjobs")
@Singular("trainingjob")
@ShortNames("tj")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Shards", jsonPath = ".status.shardsSummary", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Chips", jsonPath = ".status.summary.chips", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "H100-eq", jsonPath = ".status.summary.h100Equivalent", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".status.summary.submitted", type = AdditionalPrinterColumn.Type.DATE)
public class TrainingJob extends CustomResource<TrainingJobSpec, TrainingJobStatus> implements Namespaced {
    public static final String GROUP = "tessera.dev";
    public static final String VERSION = "v1alpha1";

    /** A job without a spec says nothing to run: the API server refuses it, as it refuses a spec without its required fields. */
    @Override
    @Required
    public TrainingJobSpec getSpec() {
        return super.getSpec();
    }

    /** No status until the operator writes one, so a status patch adds it as a whole. */
    @Override
    protected TrainingJobStatus initStatus() {
        return null;
    }
}
