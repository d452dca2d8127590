package dev.tessera.scheduler.engine;

/**
 * The performance model as the engine sees it. Throughputs are in steps per second of a shard that
 * processed the whole global batch alone, so shards of different chip models add up.
 */
public interface ThroughputModel {

    /** Throughput of one shard of {@code chipsPerShard} chips of {@code chip}; 0 when the shard cannot run there. */
    double shardThroughput(Workload workload, String chip, int chipsPerShard, int tensorParallel);

    /** Throughput of one H100 on the same workload, the unit of H100-equivalents. */
    double h100Throughput(Workload workload);

    /** A short why for a chip model that cannot take the shard (e.g. memory too small), or null. */
    default String whyUnfit(Workload workload, String chip, int chipsPerShard) {
        return null;
    }
}
