package dev.tessera.inventory.audit;

import dev.tessera.inventory.security.RoleHierarchy;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;

/** Writes one audit row per change, inside the change's own transaction so neither lands without the other. */
@ApplicationScoped
public class AuditTrail {

    @Inject
    EntityManager em;

    @Inject
    SecurityIdentity identity;

    /** The caller of the current request; {@code anonymous} when auth is off or no request is active. */
    public String subject() {
        try {
            return identity.isAnonymous() ? RoleHierarchy.ANONYMOUS : identity.getPrincipal().getName();
        } catch (RuntimeException noRequest) {
            return RoleHierarchy.ANONYMOUS;
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String action, String target) {
        record(subject(), action, target);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String subject, String action, String target) {
        em.createNativeQuery("insert into audit_entry (at, subject, action, target) values (?1, ?2, ?3, ?4)")
                .setParameter(1, Timestamp.from(Instant.now()))
                .setParameter(2, truncate(subject, 255))
                .setParameter(3, truncate(action, 64))
                .setParameter(4, truncate(target, 512))
                .executeUpdate();
    }

    private static String truncate(String s, int max) {
        String v = s == null ? "" : s;
        return v.length() <= max ? v : v.substring(0, max);
    }
}
