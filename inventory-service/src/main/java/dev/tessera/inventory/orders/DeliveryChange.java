package dev.tessera.inventory.orders;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;

/** History of a delivery: every reschedule and state change, never edited. */
@Entity
@Table(name = "delivery_change")
public class DeliveryChange extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "delivery_id")
    public Long deliveryId;

    @Column(name = "changed_at")
    public Instant changedAt;

    @Column(name = "from_date")
    public LocalDate fromDate;

    @Column(name = "to_date")
    public LocalDate toDate;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_state")
    public DeliveryState fromState;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_state")
    public DeliveryState toState;

    public String note;
}
