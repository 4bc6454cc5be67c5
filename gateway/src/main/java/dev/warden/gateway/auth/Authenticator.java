package dev.warden.gateway.auth;

import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Inbound;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Turns the key a caller presents ({@code Authorization: Bearer}, {@code x-api-key} or {@code api-key}) into a
 * {@link VirtualKey}. Lookups are cached for a short time so the store is not hit on every request; a revocation
 * made on this replica is effective on the next request (the cache is invalidated), on other replicas within the
 * cache time.
 */
@Component
public class Authenticator {
    static final Duration CACHE_TIME = Duration.ofSeconds(1);
    private static final int MAX_CACHED = 100_000;
    private static final int MAX_KEY_LENGTH = 512;

    private final KeyRepository keys;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public Authenticator(KeyRepository keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
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
        long now = System.nanoTime();
        Cached cached = cache.get(hash);
        if (cached == null || now - cached.loadedNanos > CACHE_TIME.toNanos()) {
            if (cache.size() > MAX_CACHED) {
                cache.clear(); // bounded memory under a flood of random keys
            }
            cached = new Cached(keys.findByHash(hash), now);
            cache.put(hash, cached);
        }
        VirtualKey key = cached.key.orElseThrow(Authenticator::invalid);
        if (!key.activeAt(clock.instant())) {
            throw new GatewayException(ErrorKind.AUTHENTICATION, key.revokedAt() != null
                    ? "virtual key " + key.hint() + " has been revoked" : "virtual key " + key.hint() + " has expired");
        }
        return key;
    }

    /** Forgets cached lookups, so a change made through the admin API applies to the next request. */
    public void invalidate() {
        cache.clear();
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

    private record Cached(Optional<VirtualKey> key, long loadedNanos) {
    }
}
