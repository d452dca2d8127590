package dev.tessera.bench.gavel;

import dev.tessera.bench.sim.JobSpec;
import dev.tessera.bench.sim.Placement;
import dev.tessera.bench.sim.RateModel;
import dev.tessera.bench.sim.ShardAllocation;

/**
 * Steps per second of a job from Gavel's measurements. Each shard processes its share of every
 * global step at the measured speed of its chips, and a synchronous step ends when the slowest
 * shard is done: rate = min over shards of (shard throughput / batch share). With shares in
 * proportion to throughput this is the sum of the shards' throughputs; with equal shares on
 * mixed chips the whole job runs at the pace of its slowest chip model.
 */
public final class GavelRateModel implements RateModel {

    private final ThroughputTable table;

    public GavelRateModel(ThroughputTable table) {
        this.table = table;
    }

    @Override
    public double workPerSecond(JobSpec job, Placement placement) {
        int total = placement.chips();
        double rate = Double.POSITIVE_INFINITY;
        for (ShardAllocation shard : placement.shards()) {
            double throughput = table.perChip(job.profile(), shard.chip(), job.chipsPerShard()) * shard.chips();
            double share = shard.batchShare() > 0 ? shard.batchShare() : (double) shard.chips() / total;
            rate = Math.min(rate, throughput / share);
        }
        return rate;
    }
}
