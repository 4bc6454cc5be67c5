package dev.warden.secrets;

import java.time.Duration;

/**
 * Metrics hooks, one call per event, tagged by reference (a locator, never a value). The gateway bridges this to
 * Micrometer; this module does not depend on it. Called on request threads and on refresh threads, so
 * implementations must be fast and thread-safe; an exception thrown here is logged and ignored.
 */
public interface SecretResolverListener {

    SecretResolverListener NONE = new SecretResolverListener() {
    };

    /** A request was answered from the cache without waiting for the backend. */
    default void cacheHit(SecretReference reference) {
    }

    /** A request had to wait for the backend: first use, or the cached value had expired. */
    default void cacheMiss(SecretReference reference) {
    }

    /** One backend call finished, successfully or not; {@code latency} includes the client's own retries. */
    default void fetched(SecretReference reference, Duration latency, boolean success) {
    }

    /**
     * A fetch failed: first use, background refresh, refetch after expiry or forced refresh. What happens next
     * (stale value served, fail closed) is reported by {@link #staleServed} or {@link #failedClosed}.
     */
    default void refreshFailed(SecretReference reference, SecretException failure) {
    }

    /** A value past its TTL was served because the backend is briefly down; {@code age} is since it was fetched. */
    default void staleServed(SecretReference reference, Duration age) {
    }

    /** The resolver refused to answer (fail closed). */
    default void failedClosed(SecretReference reference, SecretUnavailableException failure) {
    }
}
