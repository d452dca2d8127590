package dev.tessera.scheduler.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    @TempDir
    Path dir;

    @Test
    void readsTheTokenAndFollowsARotation() throws Exception {
        Path file = dir.resolve("token");
        TokenFile token = new TokenFile(file);
        assertThat(token.token()).as("no file yet: no header").isEmpty();

        Files.writeString(file, "first.token.value\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(token.token()).contains("first.token.value");

        // a mounted Secret rotates: new content, new modification time
        Files.writeString(file, "second.token.value\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T01:00:00Z")));
        assertThat(token.token()).contains("second.token.value");

        Files.writeString(file, "  \n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T02:00:00Z")));
        assertThat(token.token()).as("blank file: no header").isEmpty();

        Files.delete(file);
        assertThat(token.token()).isEmpty();
    }
}
