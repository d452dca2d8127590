package dev.tessera.scheduler.engine;

/** Why a job cannot run now; {@code reason} is one of the CamelCase constants below. */
public record PendingReason(String reason, String message) {
    public static final String INSUFFICIENT_CAPACITY = "InsufficientCapacity";
    public static final String QUOTA_EXCEEDED = "QuotaExceeded";
    public static final String WAITING_FOR_DELIVERY = "WaitingForDelivery";
    public static final String NO_ELIGIBLE_CHIPS = "NoEligibleChips";
}
