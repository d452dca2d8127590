package dev.tessera.operator.api;

/** The coarse state of a TrainingJob; the conditions carry the detail. */
public enum Phase {
    Pending, Placed, Running, Succeeded, Failed, Suspended;

    public boolean isTerminal() {
        return this == Succeeded || this == Failed;
    }
}
