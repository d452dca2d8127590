package dev.tessera.scheduler.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * A caller's own bearer token in a file (a mounted Secret). Re-read when its modification time or size changes,
 * so a rotated Secret takes effect without a restart.
 */
public final class TokenFile {

    private final Path path;
    private FileTime readAt;
    private long readSize = -1;
    private String token;

    public TokenFile(Path path) {
        this.path = path;
    }

    /** The token, or empty when the file is missing or blank (the call then goes without a header). */
    public synchronized Optional<String> token() {
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            long size = Files.size(path);
            if (!modified.equals(readAt) || size != readSize) {
                token = Files.readString(path, StandardCharsets.UTF_8).strip();
                readAt = modified;
                readSize = size;
            }
        } catch (NoSuchFileException e) {
            token = null;
            readAt = null;
            readSize = -1;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + path, e);
        }
        return token == null || token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
