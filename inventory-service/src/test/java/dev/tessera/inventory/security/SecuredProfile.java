package dev.tessera.inventory.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Auth on, as in production; the test classes that check tokens and roles share this one application start. */
public class SecuredProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tessera.auth.enabled", "true");
    }
}
