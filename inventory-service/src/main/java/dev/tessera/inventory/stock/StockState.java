package dev.tessera.inventory.stock;

/** Where a unit is in its life; IN_SERVICE and WAREHOUSE count as on hand. */
public enum StockState {
    IN_SERVICE, WAREHOUSE, FAILED, RETIRED;

    public boolean onHand() {
        return this == IN_SERVICE || this == WAREHOUSE;
    }
}
