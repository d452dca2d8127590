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

@Entity
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "order_id")
    public Long orderId;

    @Column(name = "chip_id")
    public String chipId;

    @Column(name = "site_id")
    public String siteId;

    public int quantity;

    public int received;

    @Column(name = "scheduled_date")
    public LocalDate scheduledDate;

    @Enumerated(EnumType.STRING)
    public DeliveryState state;

    public String note;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public int remaining() {
        return quantity - received;
    }
}
