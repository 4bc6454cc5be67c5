package dev.warden.secrets;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Resolves secret references to values through registered {@link SecretSource}s and owns the shared rules.
 *
 * <h2>Per request</h2>
 * <pre>{@code
 * try (SecretValue key = resolver.resolve("vault://secret/providers/openai#api_key")) {
 *     request.header("Authorization", "Bearer " + key.reveal());
 * }
 * }</pre>
 * Every call returns a fresh copy the caller owns; closing it wipes that copy only.
 *
 * <h2>Caching</h2>
 * A value is fetched on first use and cached for {@code ttl}. From {@code ttl - refreshAhead} on, the next request
 * still gets the cached value at once and starts one background refresh on a virtual thread; the request after the
 * refresh completes gets the new value, which is how a rotated key is picked up without a restart. A request that
 * arrives after expiry waits for a fetch (bounded by {@code fetchTimeout}).
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>Transient failure (unreachable, 5xx, throttled, timeout): the last value is served for up to
 *       {@code maxStale} past its expiry. Once a fetch has failed, requests get that value without waiting and the
 *       backend is retried in the background, at most every {@code retryInterval}.</li>
 *   <li>Past {@code maxStale}, or with nothing cached: fail closed with {@link SecretUnavailableException}.</li>
 *   <li>Definitive answer (not found, access denied): once the cached value expires, it is dropped and the resolver
 *       fails closed at once, so a revoked permission or a deleted secret takes effect within one TTL.</li>
 * </ul>
 * No message, log line or metric this class produces contains a value.
 */
public final class SecretResolver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SecretResolver.class);

    private final Map<String, SecretSource> sources;
    private final Duration ttl;
    private final Duration refreshAhead;
    private final Duration maxStale;
    private final Duration fetchTimeout;
    private final Duration retryInterval;
    private final InstantSource clock;
    private final SecretResolverListener listener;
    private final ConcurrentHashMap<SecretReference, Entry> cache = new ConcurrentHashMap<>();
    /**
     * References already parsed and validated, by their text: the gateway resolves the same few configured
     * references on every request, and parsing and validating them (regular expressions) showed in its profiles.
     * Bounded, since the texts come from configuration and there are few; only valid references are kept.
     */
    private final ConcurrentHashMap<String, SecretReference> validated = new ConcurrentHashMap<>();
    private static final int MAX_VALIDATED = 4096;
    // Fetches run on virtual threads: a slow backend parks a cheap thread, never a request's platform thread pool.
    private final ExecutorService fetchers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("warden-secret-fetch-", 0).factory());
    private final AtomicBoolean closed = new AtomicBoolean();

    private SecretResolver(Builder b) {
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(b.sources));
        this.ttl = b.ttl;
        this.refreshAhead = b.refreshAhead;
        this.maxStale = b.maxStale;
        this.fetchTimeout = b.fetchTimeout;
        this.retryInterval = b.retryInterval;
        this.clock = b.clock;
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The registered schemes, in registration order. */
    public Set<String> schemes() {
        return sources.keySet();
    }

    /**
     * Parses and validates a reference without any network call; call it at startup for every configured
     * reference so bad configuration fails before the first request.
     *
     * @throws InvalidSecretReferenceException naming what was expected
     */
    public SecretReference reference(String text) {
        SecretReference known = validated.get(text);
        if (known != null) {
            return known;
        }
        SecretReference ref = SecretReference.parse(text);
        validate(ref);
        if (validated.size() < MAX_VALIDATED) {
            validated.put(text, ref);
        }
        return ref;
    }

    /** Same as {@code resolve(reference(text))}. */
    public SecretValue resolve(String text) {
        SecretReference reference = reference(text);
        return resolve(reference, sources.get(reference.scheme()));
    }

    /**
     * The current value of {@code reference}, as a new {@link SecretValue} the caller must close.
     *
     * @throws SecretUnavailableException when no value may be used (fail closed); its cause is the backend's error
     * @throws InvalidSecretReferenceException when the reference does not fit its backend, or no backend has its scheme
     */
    public SecretValue resolve(SecretReference reference) {
        Objects.requireNonNull(reference, "reference");
        return resolve(reference, validate(reference));
    }

    private SecretValue resolve(SecretReference reference, SecretSource source) {
        checkOpen();
        Entry entry = cache.computeIfAbsent(reference, r -> new Entry());
        while (true) {
            Cached cached = entry.cached;
            Instant now = clock.instant();
            if (cached != null && now.isBefore(cached.expiresAt)) {
                if (!now.isBefore(cached.refreshAt)) {
                    refreshInBackground(reference, source, entry, now);
                }
                SecretValue copy = cached.copyOrNull();
                if (copy == null) {
                    continue; // swapped and wiped by a refresh between our read and our copy: read again
                }
                notify(l -> l.cacheHit(reference));
                return copy;
            }
            if (cached != null && servesStaleWithoutWaiting(entry, cached, now)) {
                SecretValue copy = cached.copyOrNull();
                if (copy == null) {
                    continue;
                }
                refreshInBackground(reference, source, entry, now);
                notify(l -> l.staleServed(reference, Duration.between(cached.fetchedAt, now)));
                return copy;
            }
            SecretValue loaded = loadWaiting(reference, source, entry);
            if (loaded != null) {
                return loaded;
            }
        }
    }

    /**
     * Fetches {@code reference} now, waiting for the backend, and replaces the cached value (the admin API's forced
     * refresh). On failure the previous value stays cached under the usual rules.
     *
     * @throws SecretUnavailableException when the backend fails; nothing is replaced
     */
    public void refresh(String text) {
        refresh(reference(text));
    }

    /** See {@link #refresh(String)}. */
    public void refresh(SecretReference reference) {
        checkOpen();
        SecretSource source = validate(reference);
        Entry entry = cache.computeIfAbsent(reference, r -> new Entry());
        entry.lock.lock();
        try {
            fetchAndStore(reference, source, entry);
        } catch (SecretException e) {
            throw unavailable(reference, "refresh failed", e);
        } finally {
            entry.lock.unlock();
        }
    }

    /** Forces a refresh of every cached reference, one at a time, and reports each outcome. */
    public List<RefreshOutcome> refreshAll() {
        List<RefreshOutcome> outcomes = new ArrayList<>();
        for (SecretReference reference : List.copyOf(cache.keySet())) {
            try {
                refresh(reference);
                outcomes.add(new RefreshOutcome.Refreshed(reference));
            } catch (SecretUnavailableException e) {
                outcomes.add(new RefreshOutcome.Failed(reference, e.getCause().getMessage()));
            }
        }
        return outcomes;
    }

    /** Probes every backend, each bounded by {@code fetchTimeout}. Reachability only, never values. */
    public List<SecretSourceHealth> health() {
        checkOpen();
        List<SecretSourceHealth> out = new ArrayList<>();
        for (SecretSource source : sources.values()) {
            long start = System.nanoTime();
            Future<SecretSourceHealth> probe = fetchers.submit(source::probe);
            SecretSourceHealth health;
            try {
                health = probe.get(fetchTimeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                probe.cancel(true);
                health = SecretSourceHealth.down(source.scheme(), "no answer within " + fetchTimeout);
            } catch (ExecutionException e) {
                health = SecretSourceHealth.down(source.scheme(), "probe failed: " + e.getCause().getClass().getName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                health = SecretSourceHealth.unknown(source.scheme(), "interrupted");
            }
            out.add(health.withLatency(Duration.ofNanos(System.nanoTime() - start)));
        }
        return out;
    }

    /** Stops refreshes, wipes every cached value and closes the sources. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        fetchers.shutdownNow();
        for (Entry entry : cache.values()) {
            Cached cached = entry.cached;
            if (cached != null) {
                cached.value.close();
            }
        }
        cache.clear();
        for (SecretSource source : sources.values()) {
            try {
                source.close();
            } catch (Exception e) {
                log.warn("closing secret source '{}' failed: {}", source.scheme(), e.getClass().getName());
            }
        }
    }

    private SecretSource validate(SecretReference reference) {
        SecretSource source = sources.get(reference.scheme());
        if (source == null) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                    + "' has scheme '" + reference.scheme() + "' (expected one of: " + String.join(", ", sources.keySet())
                    + ")");
        }
        source.validate(reference);
        return source;
    }

    /**
     * After expiry: once the backend is known to be failing transiently, requests get the old value at once and the
     * retries happen in the background (every {@code retryInterval}); otherwise a backend that times out would stall
     * every request for {@code fetchTimeout}.
     */
    private boolean servesStaleWithoutWaiting(Entry entry, Cached cached, Instant now) {
        SecretException failure = entry.lastFailure;
        return failure != null && failure.isTransient() && now.isBefore(cached.staleUntil);
    }

    /**
     * Waits for the entry's lock and fetches unless another request already did while we waited. Returns null when
     * the caller should re-read the entry.
     */
    private @Nullable SecretValue loadWaiting(SecretReference reference, SecretSource source, Entry entry) {
        entry.lock.lock();
        try {
            Instant now = clock.instant();
            Cached cached = entry.cached;
            if (cached != null && now.isBefore(cached.expiresAt)) {
                return null; // another request refreshed it while we waited
            }
            if (cached != null && servesStaleWithoutWaiting(entry, cached, now)) {
                return null; // another request just failed: do not wait for the backend again
            }
            SecretException recent = entry.lastFailure;
            Instant failedAt = entry.lastFailureAt;
            if (cached == null && recent != null && failedAt != null && now.isBefore(failedAt.plus(retryInterval))) {
                // Nothing to serve and the backend failed a moment ago: answer at once instead of queueing every
                // request behind another full timeout.
                throw failClosed(reference, "fetch failed " + Duration.between(failedAt, now).toMillis()
                        + " ms ago, next attempt after " + retryInterval, recent);
            }
            notify(l -> l.cacheMiss(reference));
            try {
                return fetchAndStore(reference, source, entry).copy();
            } catch (SecretException e) {
                Instant after = clock.instant();
                if (cached != null && e.isTransient() && after.isBefore(cached.staleUntil)) {
                    SecretValue stale = cached.copyOrNull();
                    if (stale != null) {
                        notify(l -> l.staleServed(reference, Duration.between(cached.fetchedAt, after)));
                        return stale;
                    }
                    return null;
                }
                if (cached != null) {
                    evict(entry, cached);
                }
                String why = cached == null ? "fetch failed"
                        : e.isTransient() ? "backend failing and the cached value is past its serve-stale limit ("
                                + maxStale + " after expiry)"
                        : "cached value expired and the backend refused it";
                throw failClosed(reference, why, e);
            }
        } finally {
            entry.lock.unlock();
        }
    }

    private void refreshInBackground(SecretReference reference, SecretSource source, Entry entry, Instant now) {
        Instant failedAt = entry.lastFailureAt;
        if (failedAt != null && now.isBefore(failedAt.plus(retryInterval))) {
            return; // back off after a failure instead of hammering a backend that is down
        }
        if (!entry.refreshing.compareAndSet(false, true)) {
            return; // one refresh per reference at a time
        }
        try {
            fetchers.execute(() -> {
                try {
                    entry.lock.lock();
                    try {
                        fetchAndStore(reference, source, entry);
                    } finally {
                        entry.lock.unlock();
                    }
                } catch (SecretException e) {
                    // Already recorded and reported by fetchAndStore; the request path decides what to serve.
                } finally {
                    entry.refreshing.set(false);
                }
            });
        } catch (RuntimeException e) { // rejected: the resolver is closing
            entry.refreshing.set(false);
        }
    }

    /** Fetches, and on success swaps the cached value and wipes the old one. Caller holds {@code entry.lock}. */
    private SecretValue fetchAndStore(SecretReference reference, SecretSource source, Entry entry) {
        long start = System.nanoTime();
        SecretValue fresh;
        try {
            fresh = fetchBounded(reference, source);
        } catch (SecretException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            entry.lastFailure = e;
            entry.lastFailureAt = clock.instant();
            notify(l -> l.fetched(reference, took, false));
            notify(l -> l.refreshFailed(reference, e));
            log.warn("secret '{}' could not be fetched ({}): {}", reference,
                    e.getClass().getSimpleName(), e.getMessage());
            log.debug("secret '{}' fetch failure", reference, e);
            throw e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        notify(l -> l.fetched(reference, took, true));
        Instant now = clock.instant();
        Cached previous = entry.cached;
        Cached next = new Cached(fresh, now, now.plus(ttl).minus(refreshAhead), now.plus(ttl),
                now.plus(ttl).plus(maxStale));
        // Publish before wiping: a reader that finds the old value wiped re-reads and finds this one.
        entry.cached = next;
        entry.lastFailure = null;
        entry.lastFailureAt = null;
        if (previous != null) {
            previous.value.close();
        }
        log.debug("secret '{}' fetched in {} ms", reference, took.toMillis());
        return fresh;
    }

    private SecretValue fetchBounded(SecretReference reference, SecretSource source) {
        // A fetch that completes after we gave up still produces a value nobody will close: it wipes it itself.
        AtomicBoolean abandoned = new AtomicBoolean();
        Future<SecretValue> call;
        try {
            call = fetchers.submit(() -> {
                SecretValue value = source.fetch(reference);
                if (abandoned.get() && value != null) {
                    value.close();
                }
                return value;
            });
        } catch (RuntimeException e) {
            throw new SecretBackendException(reference, "secret resolver is closed", null);
        }
        try {
            SecretValue value = call.get(fetchTimeout.toNanos(), TimeUnit.NANOSECONDS);
            if (value == null) {
                throw new SecretBackendException(reference, "source '" + source.scheme()
                        + "' returned null (expected: a value or an exception)", null);
            }
            return value;
        } catch (TimeoutException e) {
            abandoned.set(true);
            call.cancel(true);
            throw new SecretBackendException(reference, "no answer from '" + source.scheme() + "' within "
                    + fetchTimeout, null);
        } catch (InterruptedException e) {
            abandoned.set(true);
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new SecretBackendException(reference, "interrupted while waiting for '" + source.scheme() + "'", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SecretException se) {
                return rethrow(se);
            }
            // Not one of ours: its message is not under our control, so keep only its class and stack.
            throw new SecretBackendException(reference, "source '" + source.scheme() + "' failed with "
                    + cause.getClass().getName() + " (expected: a SecretException)", SecretException.redacted(cause));
        }
    }

    private static SecretValue rethrow(SecretException e) {
        throw e;
    }

    private void evict(Entry entry, Cached cached) {
        entry.cached = null;
        cached.value.close();
    }

    private SecretUnavailableException failClosed(SecretReference reference, String why, SecretException cause) {
        SecretUnavailableException e = unavailable(reference, why, cause);
        notify(l -> l.failedClosed(reference, e));
        return e;
    }

    private static SecretUnavailableException unavailable(SecretReference reference, String why, SecretException cause) {
        return new SecretUnavailableException(reference, "secret '" + reference + "' is unavailable: " + why
                + ": " + cause.getMessage(), cause);
    }

    private void notify(Consumer<SecretResolverListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            log.warn("secret resolver listener failed: {}", e.getClass().getName());
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("secret resolver is closed");
        }
    }

    /** One reference's cache slot. {@code lock} serialises fetches; readers never take it on the fast path. */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        final AtomicBoolean refreshing = new AtomicBoolean();
        volatile @Nullable Cached cached;
        volatile @Nullable SecretException lastFailure;
        volatile @Nullable Instant lastFailureAt;
    }

    private record Cached(SecretValue value, Instant fetchedAt, Instant refreshAt, Instant expiresAt,
                          Instant staleUntil) {

        @Nullable SecretValue copyOrNull() {
            try {
                return value.copy();
            } catch (IllegalStateException wiped) {
                return null;
            }
        }
    }

    /** Registers sources and sets the cache policy. Defaults suit provider API keys. */
    public static final class Builder {
        private final Map<String, SecretSource> sources = new LinkedHashMap<>();
        private Duration ttl = Duration.ofMinutes(5);
        private Duration refreshAhead = Duration.ofMinutes(1);
        private Duration maxStale = Duration.ofMinutes(15);
        private Duration fetchTimeout = Duration.ofSeconds(10);
        private Duration retryInterval = Duration.ofSeconds(5);
        private InstantSource clock = InstantSource.system();
        private SecretResolverListener listener = SecretResolverListener.NONE;

        private Builder() {
        }

        /** Registers a source under its scheme. Adding a backend is adding one source here. */
        public Builder source(SecretSource source) {
            Objects.requireNonNull(source, "source");
            String scheme = Objects.requireNonNull(source.scheme(), "source.scheme()");
            SecretSource previous = sources.putIfAbsent(scheme, source);
            if (previous != null) {
                throw new IllegalArgumentException("scheme '" + scheme + "' is already registered by "
                        + previous.getClass().getName() + " (expected: one source per scheme)");
            }
            return this;
        }

        /** How long a fetched value is used before it must be fetched again. Default 5 minutes. */
        public Builder ttl(Duration ttl) {
            this.ttl = positive("ttl", ttl);
            return this;
        }

        /** How long before expiry a request triggers a background refresh. Default 1 minute; less than ttl. */
        public Builder refreshAhead(Duration refreshAhead) {
            this.refreshAhead = nonNegative("refreshAhead", refreshAhead);
            return this;
        }

        /** How long past expiry a value may be served while the backend is failing. Default 15 minutes; 0 = never. */
        public Builder maxStale(Duration maxStale) {
            this.maxStale = nonNegative("maxStale", maxStale);
            return this;
        }

        /** The longest a request waits for one backend call. Default 10 seconds. */
        public Builder fetchTimeout(Duration fetchTimeout) {
            this.fetchTimeout = positive("fetchTimeout", fetchTimeout);
            return this;
        }

        /**
         * After a failure, the least time before the backend is tried again (background refreshes; requests with
         * nothing cached fail at once until then). Default 5 seconds.
         */
        public Builder retryInterval(Duration retryInterval) {
            this.retryInterval = nonNegative("retryInterval", retryInterval);
            return this;
        }

        public Builder listener(SecretResolverListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** For tests: the time source for TTLs; background refreshes still run on real threads. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalStateException when no source is registered or refreshAhead is not below ttl */
        public SecretResolver build() {
            if (sources.isEmpty()) {
                throw new IllegalStateException("no secret source registered (expected: at least one source(...))");
            }
            if (refreshAhead.compareTo(ttl) >= 0) {
                throw new IllegalStateException("refreshAhead: " + refreshAhead + " (expected: less than ttl " + ttl + ")");
            }
            return new SecretResolver(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
            }
            return d;
        }

        private static Duration nonNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
            }
            return d;
        }
    }
}
