package dev.tessera.scheduler.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache in front of token verification: what it keeps, for how long, and what it never keeps. */
class VerifiedTokenCacheTest {
    static final String ISSUER = "https://tessera.local";
    static PrivateKey signing;
    static PublicKey verifying;

    final MutableClock clock = new MutableClock(Instant.now());
    CountingVerifier verifier;

    @BeforeAll
    static void keys() throws Exception {
        signing = KeyUtils.readPrivateKey("jwt/test-private.pem");
        verifying = KeyUtils.readPublicKey("jwt/test-public.pem");
    }

    @BeforeEach
    void setUp() {
        JWTAuthContextInfo context = new JWTAuthContextInfo(verifying, ISSUER);
        verifier = new CountingVerifier(context);
    }

    static String token(long expiresInSeconds) {
        return Jwt.issuer(ISSUER).subject("tessera-operator").groups(Set.of("operator")).expiresIn(expiresInSeconds).sign(signing);
    }

    @Test
    void aVerifiedTokenIsRecognisedWithoutVerifyingItAgain() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, 100, Duration.ofSeconds(60), clock);
        String token = token(3600);
        JsonWebToken first = cache.parse(token);
        JsonWebToken second = cache.parse(token);
        assertThat(verifier.calls.get()).isEqualTo(1);
        assertThat(second.getSubject()).isEqualTo("tessera-operator");
        assertThat(second.getGroups()).containsExactly("operator");
        assertThat(second).isSameAs(first);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aTokenIsVerifiedAgainOnceTheMaxAgeHasPassed() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, 100, Duration.ofSeconds(60), clock);
        String token = token(3600);
        cache.parse(token);
        clock.advance(Duration.ofSeconds(59));
        cache.parse(token);
        assertThat(verifier.calls.get()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        cache.parse(token);
        assertThat(verifier.calls.get()).isEqualTo(2);
    }

    @Test
    void aTokenIsNeverRecognisedPastItsOwnExpiry() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, 100, Duration.ofSeconds(60), clock);
        String token = token(20);
        cache.parse(token);
        clock.advance(Duration.ofSeconds(21));
        // past exp by the cache's clock: verified again (the verifier itself still allows its clock skew)
        cache.parse(token);
        assertThat(verifier.calls.get()).isEqualTo(2);
    }

    @Test
    void aTokenThatFailsVerificationIsCheckedInFullEveryTime() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, 100, Duration.ofSeconds(60), clock);
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String forged = Jwt.issuer(ISSUER).subject("mallory").groups(Set.of("admin")).expiresIn(3600)
                .sign(rsa.generateKeyPair().getPrivate());
        assertThatThrownBy(() -> cache.parse(forged)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> cache.parse(forged)).isInstanceOf(ParseException.class);
        assertThat(verifier.calls.get()).isEqualTo(2);
        assertThat(cache.size()).isZero();

        String otherIssuer = Jwt.issuer("https://elsewhere").subject("x").expiresIn(3600).sign(signing);
        assertThatThrownBy(() -> cache.parse(otherIssuer)).isInstanceOf(ParseException.class);
        assertThat(cache.size()).isZero();
    }

    @Test
    void differentTokensAreKeptApartAndTheSizeIsBounded() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, 2, Duration.ofSeconds(60), clock);
        String a = Jwt.issuer(ISSUER).subject("a").expiresIn(3600).sign(signing);
        String b = Jwt.issuer(ISSUER).subject("b").expiresIn(3600).sign(signing);
        String c = Jwt.issuer(ISSUER).subject("c").expiresIn(3600).sign(signing);
        assertThat(cache.parse(a).getSubject()).isEqualTo("a");
        assertThat(cache.parse(b).getSubject()).isEqualTo("b");
        assertThat(cache.parse(c).getSubject()).isEqualTo("c");
        assertThat(cache.size()).isLessThanOrEqualTo(2);
    }

    @Test
    void aZeroSizeTurnsTheCacheOff() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, 0, Duration.ofSeconds(60), clock);
        String token = token(3600);
        cache.parse(token);
        cache.parse(token);
        assertThat(verifier.calls.get()).isEqualTo(2);
    }

    @Test
    void negativeSettingsAreRefused() {
        assertThatThrownBy(() -> new VerifiedTokenCache(verifier, -1, Duration.ofSeconds(60), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VerifiedTokenCache(verifier, 10, Duration.ofSeconds(-1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static final class CountingVerifier extends DefaultJWTParser {
        final AtomicInteger calls = new AtomicInteger();

        CountingVerifier(JWTAuthContextInfo context) {
            super(context);
        }

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            calls.incrementAndGet();
            return super.parse(token);
        }
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
