package dev.tessera.scheduler.engine;

import java.time.LocalDate;

/**
 * Chips on order.
 *
 * @param chipsPerNode how the chips will be racked, to know which tensor-parallel groups they can host
 */
public record Delivery(String chip, int quantity, LocalDate date, int chipsPerNode) {
}
