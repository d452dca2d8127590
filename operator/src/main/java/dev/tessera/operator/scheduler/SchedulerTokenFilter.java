package dev.tessera.operator.scheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Puts the operator's own bearer token ({@code tessera.auth.token-file}, a mounted Secret) on every call to the
 * scheduler. The file is re-read when its modification time or size changes, so a rotated Secret takes effect
 * without a restart; no header when the property is unset or the file is missing.
 */
public class SchedulerTokenFilter implements ClientRequestFilter {

    private final Optional<Path> path = ConfigProvider.getConfig()
            .getOptionalValue("tessera.auth.token-file", String.class)
            .filter(s -> !s.isBlank()).map(Path::of);
    private FileTime readAt;
    private long readSize = -1;
    private String token;

    @Override
    public void filter(ClientRequestContext request) {
        path.flatMap(this::token)
                .ifPresent(t -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + t));
    }

    synchronized Optional<String> token(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (!modified.equals(readAt) || size != readSize) {
                token = Files.readString(file, StandardCharsets.UTF_8).strip();
                readAt = modified;
                readSize = size;
            }
        } catch (NoSuchFileException e) {
            token = null;
            readAt = null;
            readSize = -1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file, e);
        }
        return token == null || token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
