package dev.tessera.inventory.security;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Reads {@code TESSERA_JWT_PUBLIC_KEY_LOCATION} as {@code mp.jwt.verify.publickey.location} only when it is
 * set: an empty default in application.properties would stop the service from starting with auth off.
 */
public class TesseraJwtSettings implements ConfigSource {

    private final Map<String, String> values = new HashMap<>();

    public TesseraJwtSettings() {
        String location = System.getenv("TESSERA_JWT_PUBLIC_KEY_LOCATION");
        if (location != null && !location.isBlank()) {
            values.put("mp.jwt.verify.publickey.location", location);
        }
    }

    @Override
    public Map<String, String> getProperties() {
        return values;
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String name) {
        return values.get(name);
    }

    @Override
    public String getName() {
        return "tessera-jwt-settings";
    }

    // Above application.properties (250), below environment variables (300).
    @Override
    public int getOrdinal() {
        return 275;
    }
}
