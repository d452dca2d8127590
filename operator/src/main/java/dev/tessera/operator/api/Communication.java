package dev.tessera.operator.api;

/** How much a job leans on chip-to-chip bandwidth; drives the performance model. */
public enum Communication {
    Low, Medium, High
}
