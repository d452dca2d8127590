package dev.tessera.scheduler.engine;

/** Chips of one model granted to one team; beyond it the team only borrows idle chips. */
public record Quota(String team, String chip, int quantity) {
}
