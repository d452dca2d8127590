package dev.tessera.scheduler.auth;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/** Puts the scheduler's own token ({@code tessera.auth.token-file}) on its calls to the inventory service. */
public class BearerTokenFilter implements ClientRequestFilter {

    private final Optional<TokenFile> file = ConfigProvider.getConfig()
            .getOptionalValue("tessera.auth.token-file", String.class)
            .filter(s -> !s.isBlank()).map(s -> new TokenFile(Path.of(s)));

    @Override
    public void filter(ClientRequestContext request) {
        file.flatMap(TokenFile::token)
                .ifPresent(t -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + t));
    }
}
