package dev.warden.gateway.store;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short-lived cache of store lookups for the request path (virtual keys, teams, customers).
 *
 * <p>A value younger than {@code fresh} is served as is. An older one, up to {@code maxStale}, is still served, while
 * one background lookup (never more than one per key at a time) replaces it; only past {@code maxStale}, or on a
 * miss, does the caller wait for the store. Before, every request that came in the moment an entry expired queried
 * the store itself, in parallel, on the request path: a slow moment of the store (a write-back, a compaction, a
 * failover) then showed up as a stall of every request in flight. {@link #invalidate()} forgets everything, so a
 * change made on this replica applies to the next request; changes made elsewhere apply within {@code fresh} plus
 * one lookup, and never later than {@code maxStale}.
 *
 * <p>Thread-safe. Bounded: past {@code maxEntries} it starts over (a flood of random keys cannot grow it).
 */
public final class RefreshingCache<K, V> {
    private static final Logger log = LoggerFactory.getLogger(RefreshingCache.class);

    private final String name;
    private final Function<K, V> load;
    private final long freshNanos;
    private final long maxStaleNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    private record Entry<V>(V value, long loadedNanos, AtomicBoolean refreshing) {
    }

    public RefreshingCache(String name, Function<K, V> load, Duration fresh, Duration maxStale, int maxEntries) {
        this(name, load, fresh, maxStale, maxEntries, System::nanoTime);
    }

    RefreshingCache(String name, Function<K, V> load, Duration fresh, Duration maxStale, int maxEntries,
                    LongSupplier nanoTime) {
        this.name = requireNonNull(name, "name");
        this.load = requireNonNull(load, "load");
        if (fresh.isNegative() || fresh.compareTo(maxStale) > 0) {
            throw new IllegalArgumentException("fresh " + fresh + ", maxStale " + maxStale
                    + " (expected: 0 <= fresh <= maxStale)");
        }
        this.freshNanos = fresh.toNanos();
        this.maxStaleNanos = maxStale.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    }

    /** The cached value, refreshed as described above; a failed synchronous lookup throws what the loader threw. */
    public V get(K key) {
        long now = nanoTime.getAsLong();
        Entry<V> entry = entries.get(key);
        if (entry != null) {
            long age = now - entry.loadedNanos();
            if (age <= freshNanos) {
                return entry.value();
            }
            if (age <= maxStaleNanos) {
                if (entry.refreshing().compareAndSet(false, true)) {
                    Thread.ofVirtual().name("warden-refresh-" + name).start(() -> refresh(key, entry));
                }
                return entry.value();
            }
        }
        V value = load.apply(key);
        put(key, value, now);
        return value;
    }

    private void refresh(K key, Entry<V> stale) {
        try {
            V value = load.apply(key);
            // Only over the entry it set out to refresh: an invalidation or a newer load in the meantime wins.
            entries.replace(key, stale, new Entry<>(value, nanoTime.getAsLong(), new AtomicBoolean()));
        } catch (RuntimeException e) {
            // The stale value keeps serving until maxStale; then a request's own lookup fails or succeeds.
            log.warn("refreshing a cached {} failed: {}", name, e.toString());
            stale.refreshing().set(false);
        }
    }

    private void put(K key, V value, long loadedNanos) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, loadedNanos, new AtomicBoolean()));
    }

    /** Forgets every entry: the next request for any key waits for the store. */
    public void invalidate() {
        entries.clear();
    }
}
