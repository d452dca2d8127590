package dev.tessera.bench.sim;

import java.util.Optional;

/** A scheduler under test: decides where one pending job goes, or that it waits. */
public interface PlacementPolicy {

    /** Short stable name used as a key in reports. */
    String name();

    /**
     * @param cluster the fleet with what every running job holds; read only
     * @return the chips to give the job now, or empty to keep it waiting
     */
    Optional<Placement> place(JobSpec job, Cluster cluster, double nowSeconds);

    /** Told when a job gives its chips back (it finished or was preempted), for policies that keep a ledger. */
    default void released(String jobId) {
    }

    /**
     * Decision times the policy measured itself (for example of the engine call alone, without the
     * adapter's translation); null lets the simulation time each {@link #place} call.
     */
    default DecisionTimes ownTimes() {
        return null;
    }
}
