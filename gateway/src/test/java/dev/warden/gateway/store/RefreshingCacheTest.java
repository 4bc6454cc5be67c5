package dev.warden.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RefreshingCacheTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger loads = new AtomicInteger();

    private RefreshingCache<String, String> cache(Function<String, String> load) {
        return new RefreshingCache<>("test", key -> {
            loads.incrementAndGet();
            return load.apply(key);
        }, Duration.ofSeconds(1), Duration.ofSeconds(5), 100, now::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(5, TimeUnit.SECONDS)).as("background refresh ran").isTrue();
    }

    @Test
    void aFreshValueIsServedWithoutALookup() {
        RefreshingCache<String, String> cache = cache(key -> "v");

        assertThat(cache.get("k")).isEqualTo("v");
        advance(Duration.ofMillis(900));
        assertThat(cache.get("k")).isEqualTo("v");

        assertThat(loads).hasValue(1);
    }

    @Test
    void aStaleValueIsServedAtOnceWhileOneBackgroundLookupReplacesIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch refreshed = new CountDownLatch(1);
        AtomicInteger version = new AtomicInteger();
        RefreshingCache<String, String> cache = cache(key -> {
            int v = version.incrementAndGet();
            if (v == 2) {
                try {
                    release.await(5, TimeUnit.SECONDS); // a slow store
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                refreshed.countDown();
            }
            return "v" + v;
        });
        assertThat(cache.get("k")).isEqualTo("v1");
        advance(Duration.ofSeconds(2));

        // The store is slow: every caller still gets the stale value at once, and only one lookup is under way.
        for (int i = 0; i < 50; i++) {
            assertThat(cache.get("k")).isEqualTo("v1");
        }
        release.countDown();
        await(refreshed);
        for (int i = 0; i < 100 && !"v2".equals(cache.get("k")); i++) {
            Thread.sleep(10); // the refreshed entry is put right after the loader returns
        }

        assertThat(cache.get("k")).isEqualTo("v2");
        assertThat(loads).hasValue(2);
    }

    @Test
    void pastMaxStaleTheCallerWaitsForTheStore() {
        RefreshingCache<String, String> cache = cache(key -> "v" + loads.get());
        cache.get("k");
        advance(Duration.ofSeconds(6));

        assertThat(cache.get("k")).isEqualTo("v2");
        assertThat(loads).hasValue(2);
    }

    @Test
    void aFailedRefreshKeepsTheStaleValueUntilMaxStaleThenTheLookupFailsTheCaller() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch failed = new CountDownLatch(1);
        RefreshingCache<String, String> cache = cache(key -> {
            if (attempts.incrementAndGet() > 1) {
                failed.countDown();
                throw new IllegalStateException("store down");
            }
            return "v1";
        });
        cache.get("k");
        advance(Duration.ofSeconds(2));

        assertThat(cache.get("k")).isEqualTo("v1");
        await(failed);
        assertThat(cache.get("k")).isEqualTo("v1");

        advance(Duration.ofSeconds(4));
        assertThatThrownBy(() -> cache.get("k")).hasMessage("store down");
    }

    @Test
    void invalidateMakesTheNextCallerLookUp() {
        RefreshingCache<String, String> cache = cache(key -> "v" + loads.get());
        cache.get("k");

        cache.invalidate();

        assertThat(cache.get("k")).isEqualTo("v2");
    }

    @Test
    void freshMustNotExceedMaxStale() {
        assertThatThrownBy(() -> new RefreshingCache<String, String>("x", k -> k, Duration.ofSeconds(2),
                Duration.ofSeconds(1), 10)).hasMessage("fresh PT2S, maxStale PT1S (expected: 0 <= fresh <= maxStale)");
    }
}
