package dev.tessera.scheduler.api;

import io.smallrye.jwt.build.Jwt;
import java.util.Set;

/** Tokens signed with the test-only key under src/test/resources/jwt, as the organisation's provider would issue them. */
final class Tokens {
    static final String ISSUER = "https://tessera.local";

    private Tokens() {
    }

    static String withRoles(String... roles) {
        return Jwt.issuer(ISSUER).subject("test-" + String.join("-", roles)).groups(Set.of(roles)).expiresIn(3600).sign();
    }

    static String bearer(String... roles) {
        return "Bearer " + withRoles(roles);
    }
}
