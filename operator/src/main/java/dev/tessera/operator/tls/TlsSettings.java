package dev.tessera.operator.tls;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code tessera.tls.ca-file} ({@code TESSERA_TLS_CA_FILE}: PEM CA certificate(s)) into a Quarkus TLS
 * registry configuration the scheduler client uses: it then trusts these CAs and nothing else, with host names
 * verified. Unset, no {@code quarkus.tls.*} property exists and the client keeps the JVM's default trust.
 * {@code tessera.tls.reload-period} ({@code TESSERA_TLS_RELOAD_PERIOD}, default {@value #DEFAULT_RELOAD}) is how often
 * the file is read again, so a renewed CA is trusted without a restart.
 *
 * The operator's own endpoints (health and metrics) stay plain HTTP: it serves no API.
 * The properties sit below environment variables (ordinal 275), so a {@code QUARKUS_*} variable still wins.
 */
public class TlsSettings implements ConfigSourceFactory {

    /** Named TLS registry configuration the REST clients use. */
    public static final String TRUST = "tessera-ca";
    static final List<String> CLIENTS = List.of("scheduler");
    static final String DEFAULT_RELOAD = "1h";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new PropertiesConfigSource(
                properties(value(context, "tessera.tls.ca-file"), value(context, "tessera.tls.reload-period")),
                "tessera-tls-settings", 275));
    }

    static Map<String, String> properties(String caFile) {
        return properties(caFile, null);
    }

    static Map<String, String> properties(String caFile, String reloadPeriod) {
        Map<String, String> properties = new TreeMap<>();
        if (caFile != null) {
            properties.put("quarkus.tls." + TRUST + ".trust-store.pem.certs", caFile);
            properties.put("quarkus.tls." + TRUST + ".reload-period", reloadPeriod == null ? DEFAULT_RELOAD : reloadPeriod);
            for (String client : CLIENTS) {
                properties.put("quarkus.rest-client." + client + ".tls-configuration-name", TRUST);
            }
        }
        return properties;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue().strip();
    }
}
