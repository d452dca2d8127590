package dev.tessera.scheduler.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.spi.runtime.AuthorizationController;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** {@code tessera.auth.enabled=false} (development only) lifts every role check, so any caller may do anything. */
@Alternative
@Priority(Interceptor.Priority.LIBRARY_AFTER)
@ApplicationScoped
public class AuthSwitch extends AuthorizationController {

    private static final Logger LOG = Logger.getLogger(AuthSwitch.class);

    @ConfigProperty(name = "tessera.auth.enabled", defaultValue = "true")
    boolean enabled;

    @Override
    public boolean isAuthorizationEnabled() {
        return enabled;
    }

    void warn(@Observes StartupEvent start) {
        if (!enabled) {
            LOG.warn("tessera.auth.enabled=false: the scheduler checks no tokens and every caller holds every role; for development only");
        }
    }
}
