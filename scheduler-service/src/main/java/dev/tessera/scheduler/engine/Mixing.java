package dev.tessera.scheduler.engine;

/** Whether one job may run on several chip models at once. */
public enum Mixing {
    /** Shards may sit on different chip models; the batch is split by speed. */
    ALLOWED,
    /** Every shard of the job uses the same chip model. */
    SINGLE_TYPE
}
