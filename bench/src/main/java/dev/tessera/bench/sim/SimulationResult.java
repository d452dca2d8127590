package dev.tessera.bench.sim;

import java.util.List;

/**
 * A run of one policy over one trace.
 *
 * @param allocationTimes  simulated times at which the allocation ratio was sampled (after each event)
 * @param allocationRatios allocated chips / all chips at those times
 * @param decisionNanos    wall time of every placement decision the policy was asked for
 * @param decisionCpuNanos CPU time of the same decisions
 */
public record SimulationResult(String policy, int totalChips, List<JobOutcome> outcomes, double[] allocationTimes,
                               double[] allocationRatios, long[] decisionNanos, long[] decisionCpuNanos) {
}
