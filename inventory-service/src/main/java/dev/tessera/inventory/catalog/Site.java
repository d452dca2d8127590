package dev.tessera.inventory.catalog;

import dev.tessera.inventory.api.ApiException;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "site")
public class Site extends PanacheEntityBase {

    /** The id column's length (V1__inventory.sql): a longer id names nothing stored. */
    public static final int ID_LENGTH = 64;

    public enum Kind { DATACENTER, WAREHOUSE }

    @Id
    public String id;

    public String name;

    @Enumerated(EnumType.STRING)
    public Kind kind;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Site require(String id) {
        Site site = findById(id);
        if (site == null) {
            throw ApiException.notFound("site", id);
        }
        return site;
    }

    public static Site requireIn(String field, String id) {
        Site site = id == null ? null : findById(id);
        if (site == null) {
            throw ApiException.invalid(field, "unknown site '" + id + "'");
        }
        return site;
    }
}
