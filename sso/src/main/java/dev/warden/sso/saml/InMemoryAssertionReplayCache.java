package dev.warden.sso.saml;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One replica's replay cache. Bounded: when full it refuses new assertions rather than forgetting old ones, because
 * forgetting would reopen the replay window; the bound is far above any real login rate.
 */
public final class InMemoryAssertionReplayCache implements AssertionReplayCache {

    private static final int MAX_ENTRIES = 100_000;

    private final ConcurrentHashMap<String, Instant> used = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryAssertionReplayCache(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean markUsed(String assertionId, Instant expiresAt) {
        Instant now = clock.instant();
        if (used.size() >= MAX_ENTRIES / 2) {
            used.values().removeIf(expiry -> expiry.isBefore(now));
        }
        if (used.size() >= MAX_ENTRIES) {
            return false;
        }
        boolean[] first = {false};
        used.compute(assertionId, (id, existing) -> {
            if (existing == null || existing.isBefore(now)) {
                first[0] = true;
                return expiresAt;
            }
            return existing;
        });
        return first[0];
    }
}
