package dev.tessera.operator.api;

/** Whether one job may run shards on more than one chip model. */
public enum Mixing {
    Allowed, SingleType
}
