package dev.tessera.inventory.orders;

public enum DeliveryState {
    SCHEDULED, SHIPPED, DELAYED, RECEIVED, CANCELLED;

    /** Received and cancelled deliveries are closed: nothing more arrives and nothing changes. */
    public boolean closed() {
        return this == RECEIVED || this == CANCELLED;
    }
}
