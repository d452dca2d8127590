package dev.tessera.scheduler.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens verified once and then recognised: the operator sends the same token on every placement,
 * and checking its RSA signature again each time was a third of the scheduler's CPU under load.
 *
 * <p>Only tokens that passed full verification (signature, issuer, expiry) are kept, keyed by the exact
 * token text, and each only until the earlier of its own {@code exp} and {@code tessera.auth.token-cache.max-age}
 * after it was verified; a token that fails is checked in full every time. At most
 * {@code tessera.auth.token-cache.max-size} tokens are kept; 0 turns the cache off. The max age bounds how long
 * a token keeps passing after its verification key is replaced.
 */
@Alternative
@Priority(Interceptor.Priority.LIBRARY_AFTER)
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {

    private final DefaultJWTParser verifier;
    private final Cache<String, Verified> verified;
    private final Clock clock;
    private final Duration maxAge;

    record Verified(JsonWebToken token, Instant until) {
    }

    @Inject
    public VerifiedTokenCache(DefaultJWTParser verifier,
            @ConfigProperty(name = "tessera.auth.token-cache.max-size", defaultValue = "1000") long maxSize,
            @ConfigProperty(name = "tessera.auth.token-cache.max-age", defaultValue = "60s") Duration maxAge) {
        this(verifier, maxSize, maxAge, Clock.systemUTC());
    }

    VerifiedTokenCache(DefaultJWTParser verifier, long maxSize, Duration maxAge, Clock clock) {
        if (maxSize < 0 || maxAge.isNegative()) {
            throw new IllegalArgumentException("tessera.auth.token-cache.max-size and max-age must not be negative");
        }
        this.verifier = verifier;
        this.clock = clock;
        this.verified = maxSize == 0 || maxAge.isZero() ? null
                : Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(maxAge).build();
        this.maxAge = maxAge;
    }

    @Override
    public JsonWebToken parse(String bearerToken) throws ParseException {
        if (verified == null) {
            return verifier.parse(bearerToken);
        }
        Instant now = clock.instant();
        // Caffeine drops entries after max-age; each one's own deadline (its exp, if earlier) is checked here.
        Verified hit = verified.getIfPresent(bearerToken);
        if (hit != null && now.isBefore(hit.until())) {
            return hit.token();
        }
        JsonWebToken token = verifier.parse(bearerToken);
        Instant until = now.plus(maxAge);
        if (token.getExpirationTime() > 0) {
            Instant exp = Instant.ofEpochSecond(token.getExpirationTime());
            until = exp.isBefore(until) ? exp : until;
        }
        if (now.isBefore(until)) {
            verified.put(bearerToken, new Verified(token, until));
        }
        return token;
    }

    /** How many verified tokens are kept now. */
    public long size() {
        if (verified == null) {
            return 0;
        }
        verified.cleanUp();
        return verified.estimatedSize();
    }

    // Everything else (other keys, other contexts) goes to the verifier unchanged and is never cached.

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, java.security.PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, javax.crypto.SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, java.security.PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, javax.crypto.SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
