package dev.tessera.bench.report;

import dev.tessera.bench.sim.JobOutcome;
import dev.tessera.bench.sim.SimulationResult;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one policy's run. Completion and queueing figures cover the jobs that finished
 * (or got chips); the counts say how many that is.
 *
 * @param utilisation          time-averaged share of all chips allocated, from the first arrival to the last completion
 * @param constraintViolations placements that put a job on a chip model it does not allow
 * @param placedCleanly        jobs that got chips and never broke a chip-model constraint
 */
public record RunSummary(String policy, int jobs, int placed, int finished, int placedCleanly, int constraintViolations,
                         int preemptions, int failedStarts, double avgJctSeconds, double p50JctSeconds, double p99JctSeconds,
                         double makespanSeconds, double utilisation,
                         double peakAllocationRatio, double queueDelayP50Seconds, double queueDelayP99Seconds,
                         int decisions, double latencyP50Micros, double latencyP99Micros, double latencyMaxMicros,
                         double cpuP50Micros, double cpuP99Micros) {

    public static RunSummary of(SimulationResult result) {
        var outcomes = result.outcomes();
        double[] jct = outcomes.stream().filter(JobOutcome::finished).mapToDouble(JobOutcome::completionSeconds).toArray();
        double[] delay = outcomes.stream().filter(JobOutcome::placed).mapToDouble(JobOutcome::queueDelaySeconds).toArray();
        double firstArrival = outcomes.stream().mapToDouble(o -> o.job().arrivalSeconds()).min().orElse(0);
        double lastEnd = outcomes.stream().filter(JobOutcome::finished).mapToDouble(JobOutcome::endSeconds).max()
                .orElse(Double.NaN);
        double lastSample = result.allocationTimes().length == 0 ? firstArrival
                : result.allocationTimes()[result.allocationTimes().length - 1];
        double horizon = Double.isNaN(lastEnd) ? lastSample : Math.max(lastEnd, lastSample);
        double peak = 0;
        for (double r : result.allocationRatios()) {
            peak = Math.max(peak, r);
        }
        long[] nanos = result.decisionNanos();
        return new RunSummary(result.policy(), outcomes.size(),
                (int) outcomes.stream().filter(JobOutcome::placed).count(),
                jct.length,
                (int) outcomes.stream().filter(o -> o.placed() && o.constraintViolations() == 0).count(),
                outcomes.stream().mapToInt(JobOutcome::constraintViolations).sum(),
                outcomes.stream().mapToInt(JobOutcome::preemptions).sum(),
                outcomes.stream().mapToInt(JobOutcome::failedStarts).sum(),
                Stats.mean(jct), Stats.percentile(jct, 50), Stats.percentile(jct, 99),
                Double.isNaN(lastEnd) ? Double.NaN : lastEnd - firstArrival,
                Stats.timeAverage(result.allocationTimes(), result.allocationRatios(), firstArrival, horizon),
                peak,
                Stats.percentile(delay, 50), Stats.percentile(delay, 99),
                nanos.length, Stats.percentile(nanos, 50) / 1e3, Stats.percentile(nanos, 99) / 1e3,
                nanos.length == 0 ? Double.NaN : Arrays.stream(nanos).max().getAsLong() / 1e3,
                Stats.percentile(result.decisionCpuNanos(), 50) / 1e3, Stats.percentile(result.decisionCpuNanos(), 99) / 1e3);
    }

    public double placedFraction() {
        return jobs == 0 ? Double.NaN : (double) placedCleanly / jobs;
    }

    /** The figures under their stable JSON keys. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("jobs", jobs);
        json.put("placed", placed);
        json.put("finished", finished);
        json.put("avgJctSeconds", avgJctSeconds);
        json.put("p50JctSeconds", p50JctSeconds);
        json.put("p99JctSeconds", p99JctSeconds);
        json.put("makespanSeconds", makespanSeconds);
        json.put("utilisation", utilisation);
        json.put("peakAllocationRatio", peakAllocationRatio);
        json.put("queueDelayP50Seconds", queueDelayP50Seconds);
        json.put("queueDelayP99Seconds", queueDelayP99Seconds);
        json.put("placedFraction", placedFraction());
        json.put("constraintViolations", constraintViolations);
        json.put("preemptions", preemptions);
        json.put("failedStarts", failedStarts);
        json.put("decisions", decisions);
        json.put("latencyP50Micros", latencyP50Micros);
        json.put("latencyP99Micros", latencyP99Micros);
        json.put("latencyMaxMicros", latencyMaxMicros);
        json.put("latencyCpuP50Micros", cpuP50Micros);
        json.put("latencyCpuP99Micros", cpuP99Micros);
        return json;
    }
}
