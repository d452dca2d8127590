package dev.tessera.scheduler.catalog;

/** How sure a chip model's figures are. */
public enum Confidence {
    /** Vendor datasheet or measured. */
    HIGH,
    MEDIUM,
    /** Public estimates. */
    LOW,
    /** No reliable public figure: a placeholder to override in configuration. */
    UNCONFIRMED
}
