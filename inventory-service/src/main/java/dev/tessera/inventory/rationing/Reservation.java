package dev.tessera.inventory.rationing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;

/** Chips of one model held for a team (or one of its jobs) over {@code [starts, ends)}. */
@Entity
@Table(name = "reservation")
public class Reservation extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String team;

    @Column(name = "chip_id")
    public String chipId;

    public int quantity;

    public LocalDate starts;

    public LocalDate ends;

    @Column(name = "job_id")
    public String jobId;

    @Column(name = "created_at")
    public Instant createdAt;
}
