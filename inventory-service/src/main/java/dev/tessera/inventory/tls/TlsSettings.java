package dev.tessera.inventory.tls;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code tessera.tls.cert-file} and {@code tessera.tls.key-file} ({@code TESSERA_TLS_CERT_FILE},
 * {@code TESSERA_TLS_KEY_FILE}: PEM certificate chain and private key) into a Quarkus TLS registry configuration
 * the HTTP server uses, and only when they are set: without them no {@code quarkus.tls.*} property exists and
 * the service serves plain HTTP as before. With them it serves HTTPS only, on its usual port; the plain HTTP port
 * is not opened. {@code tessera.tls.reload-period} ({@code TESSERA_TLS_RELOAD_PERIOD}, default {@value #DEFAULT_RELOAD})
 * is how often the files are read again, so a renewed certificate is served without a restart.
 *
 * The properties sit below environment variables (ordinal 275), so a {@code QUARKUS_*} variable still wins.
 */
public class TlsSettings implements ConfigSourceFactory {

    /** Named TLS registry configuration the HTTP server uses. */
    public static final String SERVER = "tessera-https";
    static final String DEFAULT_RELOAD = "1h";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new PropertiesConfigSource(
                properties(value(context, "tessera.tls.cert-file"), value(context, "tessera.tls.key-file"),
                        value(context, "tessera.tls.reload-period")),
                "tessera-tls-settings", 275));
    }

    static Map<String, String> properties(String certFile, String keyFile) {
        return properties(certFile, keyFile, null);
    }

    static Map<String, String> properties(String certFile, String keyFile, String reloadPeriod) {
        Map<String, String> properties = new TreeMap<>();
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and its key: set TESSERA_TLS_CERT_FILE"
                    + " and TESSERA_TLS_KEY_FILE together (now only " + (certFile != null ? "the certificate" : "the key")
                    + " is set)");
        }
        if (certFile != null) {
            properties.put("quarkus.tls." + SERVER + ".key-store.pem.service.cert", certFile);
            properties.put("quarkus.tls." + SERVER + ".key-store.pem.service.key", keyFile);
            properties.put("quarkus.tls." + SERVER + ".reload-period", reloadPeriod == null ? DEFAULT_RELOAD : reloadPeriod);
            properties.put("quarkus.http.tls-configuration-name", SERVER);
            // HTTPS on the port the service always had; no plain HTTP port at all
            properties.put("quarkus.http.ssl-port", "${quarkus.http.port}");
            properties.put("quarkus.http.insecure-requests", "disabled");
        }
        return properties;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue().strip();
    }
}
