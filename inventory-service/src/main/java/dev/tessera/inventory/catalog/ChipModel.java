package dev.tessera.inventory.catalog;

import dev.tessera.inventory.api.ApiException;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "chip_model")
public class ChipModel extends PanacheEntityBase {

    /** The id column's length (V1__inventory.sql): a longer id names nothing stored. */
    public static final int ID_LENGTH = 64;

    @Id
    public String id;

    public String vendor;

    public String name;

    /** Throughput of one chip relative to one H100 on large-model pretraining. */
    @Column(name = "h100_equivalent")
    public double h100Equivalent;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The chip model, or a 404 naming it (ids in paths and query strings). */
    public static ChipModel require(String id) {
        ChipModel chip = findById(id);
        if (chip == null) {
            throw ApiException.notFound("chip model", id);
        }
        return chip;
    }

    /** The chip model, or a 400 naming it and the field that carried it (ids in request bodies). */
    public static ChipModel requireIn(String field, String id) {
        ChipModel chip = id == null ? null : findById(id);
        if (chip == null) {
            throw ApiException.invalid(field, "unknown chip model '" + id + "'");
        }
        return chip;
    }
}
