package dev.tessera.inventory.orders;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "purchase_order")
public class PurchaseOrder extends PanacheEntityBase {

    /** The columns' lengths (V1__inventory.sql), checked on every way in. */
    public static final int SUPPLIER_LENGTH = 256;
    public static final int REFERENCE_LENGTH = 128;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String supplier;

    public String reference;

    @Column(name = "created_at")
    public Instant createdAt;
}
