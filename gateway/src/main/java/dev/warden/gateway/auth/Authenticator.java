package dev.warden.gateway.auth;

import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Inbound;
import dev.warden.gateway.store.RefreshingCache;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Turns the key a caller presents ({@code Authorization: Bearer}, {@code x-api-key} or {@code api-key}) into a
 * {@link VirtualKey}. Lookups are cached for a short time so the store is not hit on every request; a revocation
 * made on this replica is effective on the next request (the cache is invalidated), on other replicas within the
 * cache time plus one lookup, and never later than {@link #MAX_STALE} (a lookup is refreshed in the background, so a
 * slow store does not stall requests: see {@link RefreshingCache}).
 */
@Component
public class Authenticator {
    static final Duration CACHE_TIME = Duration.ofSeconds(1);
    private static final int MAX_CACHED = 100_000;
    private static final int MAX_KEY_LENGTH = 512;

    /** How long a stale lookup may still serve while it is being refreshed (see {@link RefreshingCache}). */
    static final Duration MAX_STALE = Duration.ofSeconds(5);

    private final Clock clock;
    private final RefreshingCache<String, Optional<VirtualKey>> cache;

    public Authenticator(KeyRepository keys, Clock clock) {
        this.clock = clock;
        this.cache = new RefreshingCache<>("virtual key", keys::findByHash, CACHE_TIME, MAX_STALE, MAX_CACHED);
    }

    public VirtualKey authenticate(Inbound inbound) {
        String presented = presentedKey(inbound);
        if (presented == null) {
            throw new GatewayException(ErrorKind.AUTHENTICATION, "missing API key: send a Warden virtual key as "
                    + "'Authorization: Bearer <key>', 'x-api-key' or 'api-key'");
        }
        if (presented.length() > MAX_KEY_LENGTH || !presented.startsWith(KeyMaterial.PREFIX)) {
            throw invalid();
        }
        String hash = KeyMaterial.hash(presented);
        VirtualKey key = cache.get(hash).orElseThrow(Authenticator::invalid);
        if (!key.activeAt(clock.instant())) {
            throw new GatewayException(ErrorKind.AUTHENTICATION, key.revokedAt() != null
                    ? "virtual key " + key.hint() + " has been revoked" : "virtual key " + key.hint() + " has expired");
        }
        return key;
    }

    /** Forgets cached lookups, so a change made through the admin API applies to the next request. */
    public void invalidate() {
        cache.invalidate();
    }

    static @Nullable String presentedKey(Inbound inbound) {
        String authorization = inbound.header("authorization");
        if (authorization != null) {
            String value = authorization.strip();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String token = value.substring(7).strip();
                if (!token.isEmpty()) {
                    return token;
                }
            }
        }
        for (String header : new String[] {"x-api-key", "api-key"}) {
            String value = inbound.header(header);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    private static GatewayException invalid() {
        // Never echo the presented value: it may be a real secret pasted into the wrong place.
        return new GatewayException(ErrorKind.AUTHENTICATION, "invalid virtual key");
    }
}
