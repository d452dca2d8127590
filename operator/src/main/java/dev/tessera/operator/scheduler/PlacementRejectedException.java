package dev.tessera.operator.scheduler;

/** The scheduler refused the request as invalid (4xx): retrying the same spec cannot help. */
public class PlacementRejectedException extends RuntimeException {
    private final int status;

    public PlacementRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
