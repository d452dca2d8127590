package dev.tessera.scheduler.engine;

/** How much a job leans on chip-to-chip bandwidth (the TrainingJob's {@code workload.communication}). */
public enum Communication {
    LOW, MEDIUM, HIGH
}
