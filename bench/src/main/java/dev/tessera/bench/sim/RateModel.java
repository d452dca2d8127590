package dev.tessera.bench.sim;

/** How fast a job runs on the chips it was given, in the units of {@link JobSpec#work()} per second. */
@FunctionalInterface
public interface RateModel {

    double workPerSecond(JobSpec job, Placement placement);

    /** Work measured in seconds: the job runs for its recorded duration wherever it lands. */
    RateModel WALL_CLOCK = (job, placement) -> 1.0;
}
