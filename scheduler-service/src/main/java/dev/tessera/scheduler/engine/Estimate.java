package dev.tessera.scheduler.engine;

/**
 * What the performance model expects of a placement.
 *
 * @param stepsPerSecond whole-job training steps per second
 * @param h100Equivalent the job's throughput over what one H100 gives on the same workload
 */
public record Estimate(double stepsPerSecond, double h100Equivalent) {
}
