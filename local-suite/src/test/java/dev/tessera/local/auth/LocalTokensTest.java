package dev.tessera.local.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTokensTest {

    @TempDir
    Path dir;

    @Test
    void mintedTokenVerifiesWithThePublicKeyAndCarriesTheRoleInGroups() throws Exception {
        assertThat(LocalTokens.ensureKeyPair(dir)).isTrue();
        Instant now = Instant.parse("2026-11-22T03:00:00Z");

        String token = LocalTokens.mint(LocalTokens.readPrivateKey(dir.resolve(LocalTokens.PRIVATE_KEY_FILE)),
                LocalTokens.DEFAULT_ISSUER, "alice", List.of("viewer"), Duration.ofHours(1), now);

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey(dir.resolve(LocalTokens.PUBLIC_KEY_FILE)));
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        assertThat(decode(parts[0])).contains("\"alg\":\"RS256\"");
        String claims = decode(parts[1]);
        assertThat(claims).contains("\"iss\":\"https://tessera.local\"", "\"sub\":\"alice\"", "\"upn\":\"alice\"",
                "\"groups\":[\"viewer\"]", "\"iat\":" + now.getEpochSecond(),
                "\"exp\":" + (now.getEpochSecond() + 3600));
    }

    @Test
    void smallryeJwtAcceptsTheTokenAndReadsItsGroups() throws Exception {
        LocalTokens.ensureKeyPair(dir);
        String token = LocalTokens.mint(LocalTokens.readPrivateKey(dir.resolve(LocalTokens.PRIVATE_KEY_FILE)),
                LocalTokens.DEFAULT_ISSUER, "tessera-operator", List.of("operator"), Duration.ofMinutes(5),
                Instant.now());
        var context = new io.smallrye.jwt.auth.principal.JWTAuthContextInfo(
                publicKey(dir.resolve(LocalTokens.PUBLIC_KEY_FILE)), LocalTokens.DEFAULT_ISSUER);

        var jwt = new io.smallrye.jwt.auth.principal.DefaultJWTParser(context).parse(token);

        assertThat(jwt.getName()).isEqualTo("tessera-operator");
        assertThat(jwt.getGroups()).containsExactly("operator");

        var otherIssuer = new io.smallrye.jwt.auth.principal.JWTAuthContextInfo(
                publicKey(dir.resolve(LocalTokens.PUBLIC_KEY_FILE)), "https://elsewhere.example");
        assertThatThrownBy(() -> new io.smallrye.jwt.auth.principal.DefaultJWTParser(otherIssuer).parse(token))
                .isInstanceOf(io.smallrye.jwt.auth.principal.ParseException.class);
    }

    @Test
    void aSecondCallKeepsTheExistingKeyPair() throws Exception {
        LocalTokens.ensureKeyPair(dir);
        String before = Files.readString(dir.resolve(LocalTokens.PUBLIC_KEY_FILE));

        assertThat(LocalTokens.ensureKeyPair(dir)).isFalse();
        assertThat(Files.readString(dir.resolve(LocalTokens.PUBLIC_KEY_FILE))).isEqualTo(before);
    }

    @Test
    void refusesUnknownRolesAndBadTtls() throws Exception {
        LocalTokens.ensureKeyPair(dir);
        var key = LocalTokens.readPrivateKey(dir.resolve(LocalTokens.PRIVATE_KEY_FILE));

        assertThatThrownBy(() -> LocalTokens.mint(key, LocalTokens.DEFAULT_ISSUER, "bob", List.of("root"),
                Duration.ofHours(1), Instant.now())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown role root");
        assertThat(LocalTokens.parseTtl("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(LocalTokens.parseTtl("30d")).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> LocalTokens.parseTtl("0h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalTokens.parseTtl("1y")).isInstanceOf(IllegalArgumentException.class);
    }

    private static PublicKey publicKey(Path pem) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
