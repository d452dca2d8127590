package dev.tessera.scheduler.engine;

import java.util.Map;

/** A throughput model with one fixed figure per chip and chip, so tests can reason in round numbers. */
record FixedThroughputs(Map<String, Double> perChip) implements ThroughputModel {

    @Override
    public double shardThroughput(Workload workload, String chip, int chipsPerShard, int tensorParallel) {
        return perChip.getOrDefault(chip, 0.0) * chipsPerShard;
    }

    @Override
    public double h100Throughput(Workload workload) {
        return perChip.getOrDefault("h100", 1.0);
    }
}
