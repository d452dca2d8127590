package dev.tessera.operator.scheduler;

/** The scheduler could not be reached or failed on its side; the caller retries with backoff. */
public class SchedulerUnavailableException extends RuntimeException {
    public SchedulerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public SchedulerUnavailableException(String message) {
        super(message);
    }
}
