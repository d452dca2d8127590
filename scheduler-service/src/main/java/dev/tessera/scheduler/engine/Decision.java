package dev.tessera.scheduler.engine;

import java.time.LocalDate;
import java.util.List;

/** The engine's answer to one request. */
public sealed interface Decision {

    String jobId();

    /**
     * The job runs.
     *
     * @param preempted jobs whose allocations this placement takes; apply with
     *                  {@link ClusterSnapshot#withPlacement(Placement, java.util.Collection)}
     */
    record Placed(Placement placement, List<String> preempted) implements Decision {
        public Placed {
            preempted = List.copyOf(preempted);
        }

        @Override
        public String jobId() {
            return placement.jobId();
        }
    }

    /** The job waits; {@code earliestStart} is set when chips on order would let it run. */
    record Pending(String jobId, List<PendingReason> reasons, LocalDate earliestStart) implements Decision {
        public Pending {
            reasons = List.copyOf(reasons);
        }
    }
}
