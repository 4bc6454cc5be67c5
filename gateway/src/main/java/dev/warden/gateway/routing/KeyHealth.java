package dev.warden.gateway.routing;

import dev.warden.gateway.providers.ProviderEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Which provider credentials are resting (after a 401/403, or a 429 with Retry-After) and the weighted choice among
 * the others. A conversation key (e.g. {@code prompt_cache_key}) pins a conversation to one credential while it is
 * healthy, so provider-side state such as encrypted reasoning is never replayed under another account. It also
 * counts the rests of each credential, so an operator can see a key the provider keeps refusing.
 */
public final class KeyHealth {
    private final ConcurrentHashMap<String, Long> restingUntil = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> rests = new ConcurrentHashMap<>();

    /** Picks a healthy credential not yet tried in this request, or null if none is left. */
    public ProviderEndpoint.@Nullable ProviderCredential choose(ProviderEndpoint endpoint, List<String> tried,
                                                                @Nullable String affinity) {
        long now = System.nanoTime();
        List<ProviderEndpoint.ProviderCredential> healthy = new ArrayList<>();
        int total = 0;
        for (ProviderEndpoint.ProviderCredential credential : endpoint.credentials()) {
            if (tried.contains(credential.id()) || isResting(endpoint, credential, now)) {
                continue;
            }
            healthy.add(credential);
            total += credential.weight();
        }
        if (healthy.isEmpty()) {
            return null;
        }
        if (healthy.size() == 1) {
            return healthy.get(0);
        }
        if (affinity != null) {
            // Rendezvous hashing: the same conversation lands on the same credential, and only moves if it rests.
            ProviderEndpoint.ProviderCredential best = null;
            long bestScore = Long.MIN_VALUE;
            for (ProviderEndpoint.ProviderCredential credential : healthy) {
                long score = mix((affinity + "\u0000" + credential.id()).hashCode()) * credential.weight();
                if (best == null || score > bestScore) {
                    best = credential;
                    bestScore = score;
                }
            }
            return best;
        }
        int pick = ThreadLocalRandom.current().nextInt(total);
        for (ProviderEndpoint.ProviderCredential credential : healthy) {
            pick -= credential.weight();
            if (pick < 0) {
                return credential;
            }
        }
        return healthy.get(healthy.size() - 1);
    }

    public void rest(ProviderEndpoint endpoint, String credentialId, Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        String key = key(endpoint.name(), credentialId);
        restingUntil.merge(key, System.nanoTime() + duration.toNanos(), Math::max);
        rests.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** How many times this credential was sent to rest since the start (never reset, so it suits a counter). */
    public long rests(ProviderEndpoint endpoint, String credentialId) {
        LongAdder count = rests.get(key(endpoint.name(), credentialId));
        return count == null ? 0 : count.sum();
    }

    public boolean isResting(ProviderEndpoint endpoint, String credentialId) {
        Long until = restingUntil.get(key(endpoint.name(), credentialId));
        return until != null && System.nanoTime() < until;
    }

    private boolean isResting(ProviderEndpoint endpoint, ProviderEndpoint.ProviderCredential credential, long now) {
        Long until = restingUntil.get(key(endpoint.name(), credential.id()));
        return until != null && now < until;
    }

    /** Ends every rest at once (an operator action after fixing a provider credential). */
    public void clear() {
        restingUntil.clear();
    }

    private static String key(String provider, String credentialId) {
        return provider + "/" + credentialId;
    }

    private static long mix(int hash) {
        long z = hash * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> 1;
    }
}
