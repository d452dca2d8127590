package dev.tessera.inventory.audit;

import dev.tessera.inventory.api.QueryParams;
import dev.tessera.inventory.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jboss.resteasy.reactive.RestQuery;

/** Changes to the inventory, newest first, paged. Planners (and so admins) may read it. */
@Path("/api/v1/audit")
public class AuditResource {

    public static final int MAX_PAGE_SIZE = 500;

    @Inject
    EntityManager em;

    public record AuditView(long id, Instant at, String subject, String action, String target) {
    }

    public record AuditPage(int page, int size, long total, List<AuditView> items) {
    }

    @GET
    @RolesAllowed(Roles.PLANNER)
    public AuditPage list(@RestQuery String page, @RestQuery String size) {
        int p = QueryParams.integer("page", page, 0, 0, 1_000_000);
        int s = QueryParams.integer("size", size, 50, 1, MAX_PAGE_SIZE);
        long total = ((Number) em.createNativeQuery("select count(*) from audit_entry").getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select id, at, subject, action, target from audit_entry order by at desc, id desc")
                .setFirstResult(p * s).setMaxResults(s).getResultList();
        List<AuditView> items = rows.stream().map(r -> new AuditView(((Number) r[0]).longValue(), instant(r[1]),
                (String) r[2], (String) r[3], (String) r[4])).toList();
        return new AuditPage(p, s, total, items);
    }

    private static Instant instant(Object v) {
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return (Instant) v;
    }
}
