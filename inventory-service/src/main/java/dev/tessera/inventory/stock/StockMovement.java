package dev.tessera.inventory.stock;

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

/** One line of the append-only stock ledger (the table refuses updates and deletes). */
@Entity
@Table(name = "stock_movement")
public class StockMovement extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "site_id")
    public String siteId;

    @Column(name = "chip_id")
    public String chipId;

    public int quantity;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_state")
    public StockState fromState;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_state")
    public StockState toState;

    public String note;

    @Column(name = "receipt_id")
    public Long receiptId;

    @Column(name = "created_at")
    public Instant createdAt;
}
