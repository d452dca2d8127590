package dev.tessera.inventory.security;

import io.smallrye.jwt.build.Jwt;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.Set;

/** Tokens signed with the test key pair under {@code src/test/resources/jwt}, or with a stranger's key. */
public final class TestTokens {

    private static PrivateKey strangerKey;

    private TestTokens() {
    }

    public static String of(String subject, String... roles) {
        return Jwt.issuer("https://tessera.local").subject(subject).upn(subject).groups(Set.of(roles))
                .expiresIn(3600).sign();
    }

    /** Well formed, but signed by a key the service does not trust. */
    public static synchronized String forged(String role) {
        try {
            if (strangerKey == null) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                strangerKey = g.generateKeyPair().getPrivate();
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Jwt.issuer("https://tessera.local").subject("mallory").groups(Set.of(role)).expiresIn(3600)
                .sign(strangerKey);
    }

    /** Signed by the trusted key but for another issuer. */
    public static String otherIssuer(String role) {
        return Jwt.issuer("https://evil.example").subject("mallory").groups(Set.of(role)).expiresIn(3600).sign();
    }
}
