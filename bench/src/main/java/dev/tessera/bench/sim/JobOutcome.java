package dev.tessera.bench.sim;

/**
 * What happened to one job in a run.
 *
 * @param startSeconds         when it first got chips; NaN if it never did
 * @param endSeconds           when it finished; NaN if it never did
 * @param constraintViolations placements that put it on a chip model it does not allow
 * @param failedStarts         placements on chips that cannot run the job at all, each given back at once
 * @param firstPlacement       the chips it first ran on, or null
 */
public record JobOutcome(JobSpec job, double startSeconds, double endSeconds, int preemptions,
                         int constraintViolations, int failedStarts, Placement firstPlacement) {

    public boolean finished() {
        return !Double.isNaN(endSeconds);
    }

    public boolean placed() {
        return !Double.isNaN(startSeconds);
    }

    public double completionSeconds() {
        return endSeconds - job.arrivalSeconds();
    }

    public double queueDelaySeconds() {
        return startSeconds - job.arrivalSeconds();
    }
}
