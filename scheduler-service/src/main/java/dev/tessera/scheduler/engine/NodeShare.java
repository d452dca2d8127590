package dev.tessera.scheduler.engine;

/** The chips one shard takes on one node. */
public record NodeShare(String name, int chips) {
}
