package dev.tessera.operator.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * Condition types and reasons of a TrainingJob, and the one way to set a condition: the
 * lastTransitionTime is kept unless the status flips, as Kubernetes conventions ask.
 */
public final class Conditions {
    /** The scheduler granted a placement. */
    public static final String PLACED = "Placed";
    /** Every placed shard has all its workers running. */
    public static final String RUNNING = "Running";
    /** Every worker finished successfully. */
    public static final String COMPLETE = "Complete";
    /** The job gave up: restarts exhausted, or a shard could not be moved. */
    public static final String FAILED = "Failed";
    /** spec.suspend is true: workers stopped, chips released. */
    public static final String SUSPENDED = "Suspended";
    /** Running with fewer shards than wanted, or a shard moved off a failing pool. */
    public static final String DEGRADED = "Degraded";

    public static final class Reasons {
        public static final String PLACED = "Placed";
        public static final String INVALID_SPEC = "InvalidSpec";
        public static final String INSUFFICIENT_CAPACITY = "InsufficientCapacity";
        public static final String QUOTA_EXCEEDED = "QuotaExceeded";
        public static final String WAITING_FOR_DELIVERY = "WaitingForDelivery";
        public static final String SCHEDULER_UNAVAILABLE = "SchedulerUnavailable";
        public static final String PREEMPTED = "Preempted";
        public static final String POOL_UNHEALTHY = "PoolUnhealthy";
        public static final String ALL_SHARDS_RUNNING = "AllShardsRunning";
        public static final String WORKERS_STARTING = "WorkersStarting";
        public static final String WORKER_RESTARTING = "WorkerRestarting";
        public static final String ALL_WORKERS_SUCCEEDED = "AllWorkersSucceeded";
        public static final String RESTARTS_EXHAUSTED = "RestartsExhausted";
        public static final String NO_REPLACEMENT = "NoReplacementPool";
        public static final String SUSPENDED = "Suspended";
        public static final String RESUMED = "Resumed";
        public static final String FEWER_SHARDS = "FewerShardsThanWanted";
        public static final String ALL_SHARDS_PLACED = "AllShardsPlaced";
        public static final String NOT_PLACED = "NotPlaced";
        public static final String FINISHED = "Finished";
        public static final String TEMPLATE_CHANGED = "TemplateChanged";
        public static final String NAME_CONFLICT = "NameConflict";
        public static final String NODE_UNAVAILABLE = "NodeUnavailable";

        private Reasons() {
        }
    }

    private Conditions() {
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /**
     * Sets a condition in place. Returns true when anything changed. The transition time moves
     * only when the status flips.
     */
    public static boolean set(List<Condition> conditions, String type, boolean status, String reason, String message,
            Long generation, Instant now) {
        String s = status ? "True" : "False";
        Optional<Condition> existing = find(conditions, type);
        if (existing.isPresent()) {
            Condition c = existing.get();
            boolean flipped = !s.equals(c.getStatus());
            boolean changed = flipped || !Objects.equals(reason, c.getReason()) || !Objects.equals(message, c.getMessage())
                    || !Objects.equals(generation, c.getObservedGeneration());
            if (!changed) {
                return false;
            }
            c.setStatus(s);
            c.setReason(reason);
            c.setMessage(message);
            c.setObservedGeneration(generation);
            if (flipped) {
                c.setLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
            }
            return true;
        }
        conditions.add(new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString()).build());
        return true;
    }
}
