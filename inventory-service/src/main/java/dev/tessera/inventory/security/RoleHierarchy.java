package dev.tessera.inventory.security;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Grants the implied roles ({@code admin} may do what {@code planner} may, {@code planner} what
 * {@code viewer} may), and with {@code tessera.auth.enabled=false} makes every caller an
 * {@code anonymous} identity holding all roles, for development only.
 */
@ApplicationScoped
public class RoleHierarchy implements SecurityIdentityAugmentor {

    public static final String ANONYMOUS = "anonymous";

    @ConfigProperty(name = "tessera.auth.enabled", defaultValue = "true")
    boolean enabled;

    void warn(@Observes StartupEvent start) {
        if (!enabled) {
            Log.warn("tessera.auth.enabled=false: every request acts with all roles; never run like this outside development");
        }
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!enabled) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(ANONYMOUS))
                    .addRoles(Set.of(Roles.VIEWER, Roles.PLANNER, Roles.ADMIN, Roles.SCHEDULER, Roles.OPERATOR))
                    .setAnonymous(false)
                    .build());
        }
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder(identity);
        if (identity.hasRole(Roles.ADMIN)) {
            b.addRole(Roles.PLANNER).addRole(Roles.VIEWER);
        } else if (identity.hasRole(Roles.PLANNER)) {
            b.addRole(Roles.VIEWER);
        }
        return Uni.createFrom().item(b.build());
    }
}
