package dev.warden.secrets;

import dev.warden.secrets.local.FileSecretSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The resolver's own rules, on the file source (a real backend that needs no server): single flight, copies,
 * failure classes, back-off, listener events, and how it polices sources that break the SPI contract.
 */
class SecretResolverTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration REFRESH_AHEAD = Duration.ofMinutes(1);
    private static final Duration MAX_STALE = Duration.ofMinutes(10);
    private static final Duration RETRY = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private CountingSource files;
    private SecretResolver resolver;

    @BeforeEach
    void start() {
        files = new CountingSource(new FileSecretSource(List.of(dir)));
        resolver = SecretResolver.builder()
                .source(files)
                .ttl(TTL).refreshAhead(REFRESH_AHEAD).maxStale(MAX_STALE).retryInterval(RETRY)
                .clock(clock)
                .listener(new SecretResolverListener() {
                    @Override
                    public void cacheHit(SecretReference reference) {
                        events.add("hit");
                    }

                    @Override
                    public void cacheMiss(SecretReference reference) {
                        events.add("miss");
                    }

                    @Override
                    public void fetched(SecretReference reference, Duration latency, boolean success) {
                        events.add(success ? "fetched" : "fetch-failed");
                    }

                    @Override
                    public void refreshFailed(SecretReference reference, SecretException failure) {
                        events.add("refresh-failed:" + failure.getClass().getSimpleName());
                    }

                    @Override
                    public void staleServed(SecretReference reference, Duration age) {
                        events.add("stale");
                    }

                    @Override
                    public void failedClosed(SecretReference reference, SecretUnavailableException failure) {
                        events.add("failed-closed");
                    }
                })
                .build();
    }

    @AfterEach
    void stop() {
        resolver.close();
    }

    private String write(String name, String value) throws IOException {
        Files.writeString(dir.resolve(name), value);
        return "file://" + dir.resolve(name);
    }

    private String resolveText(String ref) {
        try (SecretValue v = resolver.resolve(ref)) {
            return v.reveal();
        }
    }

    @Test
    void concurrentFirstRequestsShareOneFetch() throws Exception {
        String ref = write("key", "v1");
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return resolveText(ref);
                }));
            }
            go.countDown();
            for (Future<String> r : results) {
                assertThat(r.get()).isEqualTo("v1");
            }
        }
        assertThat(files.fetches()).isEqualTo(1);
    }

    @Test
    void everyCallGetsItsOwnCopy() throws IOException {
        String ref = write("key", "v1");
        SecretValue first = resolver.resolve(ref);
        SecretValue second = resolver.resolve(ref);
        assertThat(first).isNotSameAs(second);
        first.close();
        assertThat(second.reveal()).isEqualTo("v1");
        assertThat(resolveText(ref)).as("closing a copy leaves the cache intact").isEqualTo("v1");
        assertThat(events).containsExactly("miss", "fetched", "hit", "hit");
    }

    @Test
    void transientFailureServesStaleWithoutWaitingAgainWithinTheRetryInterval() throws IOException {
        String ref = write("key", "v1");
        assertThat(resolveText(ref)).isEqualTo("v1");
        // A directory where the file was: reading fails with an I/O error, the file source's "backend down".
        Files.delete(dir.resolve("key"));
        Files.createDirectory(dir.resolve("key"));
        clock.advance(TTL);
        events.clear();

        assertThat(resolveText(ref)).isEqualTo("v1");
        assertThat(resolveText(ref)).isEqualTo("v1");
        assertThat(files.fetches()).as("second request did not wait for the failing backend").isEqualTo(2);
        assertThat(events).containsExactly("miss", "fetch-failed", "refresh-failed:SecretBackendException", "stale",
                "stale");
    }

    @Test
    void whileTheBackendKeepsFailingRequestsGetTheStaleValueAndRetriesRunInTheBackground() throws Exception {
        String ref = write("key", "v1");
        assertThat(resolveText(ref)).isEqualTo("v1");
        Files.delete(dir.resolve("key"));
        Files.createDirectory(dir.resolve("key"));
        clock.advance(TTL);
        assertThat(resolveText(ref)).isEqualTo("v1"); // waits once, fails, serves stale
        int fetches = files.fetches();

        clock.advance(RETRY.multipliedBy(3));
        assertThat(resolveText(ref)).as("no wait: a background retry is started instead").isEqualTo("v1");
        // Wait for that retry to have failed and been recorded before moving the clock on.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (events.stream().filter(e -> e.startsWith("refresh-failed")).count() < 2
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(files.fetches()).isEqualTo(fetches + 1);

        // The backend recovers: the next background retry replaces the value.
        Files.delete(dir.resolve("key"));
        write("key", "v2");
        clock.advance(RETRY);
        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String current = resolveText(ref);
        while (!current.equals("v2") && System.nanoTime() < deadline) {
            Thread.sleep(10);
            current = resolveText(ref);
        }
        assertThat(current).isEqualTo("v2");
    }

    @Test
    void definitiveFailureIsNotServedStale() throws IOException {
        String ref = write("key", "v1");
        assertThat(resolveText(ref)).isEqualTo("v1");
        Files.delete(dir.resolve("key"));
        clock.advance(TTL);
        SecretUnavailableException e = catchThrowableOfType(SecretUnavailableException.class, () -> resolver.resolve(ref));
        assertThat(e.getCause()).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).contains("expired and the backend refused it");
        assertThat(events).endsWith("failed-closed");
    }

    @Test
    void failureWithNothingCachedIsAnsweredAtOnceUntilTheRetryInterval() throws IOException {
        String ref = "file://" + dir.resolve("later");
        assertThatThrownBy(() -> resolver.resolve(ref)).isInstanceOf(SecretUnavailableException.class);
        write("later", "v1");
        assertThatThrownBy(() -> resolver.resolve(ref))
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessageContaining("next attempt after PT5S");
        assertThat(files.fetches()).isEqualTo(1);
        clock.advance(RETRY);
        assertThat(resolveText(ref)).isEqualTo("v1");
    }

    @Test
    void refreshAheadRunsInTheBackgroundSoRequestsDoNotWait() throws Exception {
        String ref = write("key", "v1");
        CountDownLatch gate = new CountDownLatch(1);
        CountingSource gated = new CountingSource(new FileSecretSource(List.of(dir)));
        SecretSource slow = new SecretSource() {
            @Override
            public String scheme() {
                return "file";
            }

            @Override
            public void validate(SecretReference reference) {
                gated.validate(reference);
            }

            @Override
            public SecretValue fetch(SecretReference reference) {
                if (gated.fetches() > 0) {
                    try {
                        gate.await(); // the backend is slow to answer this refresh
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return gated.fetch(reference);
            }
        };
        try (SecretResolver r = SecretResolver.builder().source(slow).ttl(TTL).refreshAhead(REFRESH_AHEAD)
                .clock(clock).build()) {
            try (SecretValue v = r.resolve(ref)) {
                assertThat(v.reveal()).isEqualTo("v1");
            }
            write("key", "v2");
            clock.advance(TTL.minus(REFRESH_AHEAD));
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                try (SecretValue v = r.resolve(ref)) {
                    assertThat(v.reveal()).isEqualTo("v1");
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("50 requests while the refresh hangs")
                    .isLessThan(Duration.ofSeconds(2));
            gate.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String current = "v1";
            while (!current.equals("v2") && System.nanoTime() < deadline) {
                try (SecretValue v = r.resolve(ref)) {
                    current = v.reveal();
                }
                Thread.sleep(10);
            }
            assertThat(current).isEqualTo("v2");
            assertThat(gated.fetches()).as("one initial fetch and one background refresh").isEqualTo(2);
        }
    }

    @Test
    void unknownSchemeNamesTheRegisteredOnes() {
        assertThatThrownBy(() -> resolver.resolve("vault://secret/x#y"))
                .isInstanceOf(InvalidSecretReferenceException.class)
                .hasMessage("secret reference 'vault://secret/x#y' has scheme 'vault' (expected one of: file)");
    }

    @Test
    void refreshAllReportsEachOutcome() throws IOException {
        String good = write("good", "v1");
        String bad = write("bad", "v1");
        resolveText(good);
        resolveText(bad);
        Files.delete(dir.resolve("bad"));
        write("good", "v2");
        assertThat(resolver.refreshAll()).containsExactlyInAnyOrder(
                new RefreshOutcome.Refreshed(SecretReference.parse(good)),
                new RefreshOutcome.Failed(SecretReference.parse(bad), "file '" + dir.resolve("bad")
                        + "' does not exist"));
        assertThat(resolveText(good)).isEqualTo("v2");
        assertThat(resolveText(bad)).as("a failed refresh keeps the cached value until expiry").isEqualTo("v1");
    }

    @Test
    void aReferenceTextIsValidatedOnceAndABadOneIsRefusedEveryTime() {
        AtomicInteger validations = new AtomicInteger();
        SecretSource strict = new SecretSource() {
            @Override
            public String scheme() {
                return "strict";
            }

            @Override
            public void validate(SecretReference reference) {
                validations.incrementAndGet();
                if (reference.location().startsWith("bad")) {
                    throw new InvalidSecretReferenceException(reference, "bad location (expected: good...)");
                }
            }

            @Override
            public SecretValue fetch(SecretReference reference) {
                return SecretValue.of("value-of-" + reference.location());
            }
        };
        try (SecretResolver r = SecretResolver.builder().source(strict).build()) {
            for (int i = 0; i < 3; i++) {
                try (SecretValue value = r.resolve("strict://good")) {
                    assertThat(value.reveal()).isEqualTo("value-of-good");
                }
            }
            assertThat(validations).hasValue(1);
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> r.resolve("strict://bad")).isInstanceOf(InvalidSecretReferenceException.class)
                        .hasMessageContaining("bad location");
                assertThatThrownBy(() -> r.resolve("strict:/no-scheme")).isInstanceOf(
                        InvalidSecretReferenceException.class);
            }
            assertThat(validations).hasValue(3);
        }
    }

    @Test
    void slowSourceIsCutOffAtTheFetchTimeout() {
        SecretSource slow = new SecretSource() {
            @Override
            public String scheme() {
                return "slow";
            }

            @Override
            public void validate(SecretReference reference) {
            }

            @Override
            public SecretValue fetch(SecretReference reference) {
                try {
                    Thread.sleep(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new SecretBackendException(reference, "interrupted", null);
            }
        };
        try (SecretResolver r = SecretResolver.builder().source(slow).fetchTimeout(Duration.ofMillis(200)).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> r.resolve("slow://anything"))
                    .isInstanceOf(SecretUnavailableException.class)
                    .hasMessageContaining("no answer from 'slow' within PT0.2S");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void sourceBreakingTheContractIsReportedWithoutItsMessage() {
        String canary = "wrdn-canary-foreign-exception";
        SecretSource broken = new SecretSource() {
            @Override
            public String scheme() {
                return "broken";
            }

            @Override
            public void validate(SecretReference reference) {
            }

            @Override
            public SecretValue fetch(SecretReference reference) {
                // What a careless source does: a library exception quoting the payload it failed to parse.
                throw new IllegalStateException("Unexpected token in '" + canary + "'",
                        new RuntimeException("inner " + canary));
            }
        };
        try (SecretResolver r = SecretResolver.builder().source(broken).build()) {
            SecretUnavailableException e = catchThrowableOfType(SecretUnavailableException.class,
                    () -> r.resolve("broken://x"));
            assertThat(e.getMessage()).contains("failed with java.lang.IllegalStateException (expected: a "
                    + "SecretException)");
            assertThat(SecretSourceContract.stackTrace(e)).doesNotContain(canary)
                    .contains("java.lang.IllegalStateException (message withheld")
                    .contains("java.lang.RuntimeException (message withheld");
        }
    }

    @Test
    void builderNamesTheBadSetting() {
        assertThatThrownBy(() -> SecretResolver.builder().source(files).ttl(Duration.ofMinutes(1))
                .refreshAhead(Duration.ofMinutes(1)).build())
                .hasMessage("refreshAhead: PT1M (expected: less than ttl PT1M)");
        assertThatThrownBy(() -> SecretResolver.builder().source(files).source(files))
                .hasMessageContaining("scheme 'file' is already registered");
        assertThatThrownBy(() -> SecretResolver.builder().build())
                .hasMessageContaining("no secret source registered");
        assertThatThrownBy(() -> SecretResolver.builder().fetchTimeout(Duration.ZERO))
                .hasMessage("fetchTimeout: PT0S (expected: > 0)");
    }

    @Test
    void closedResolverWipesItsCacheAndRefuses() throws IOException {
        String ref = write("key", "v1");
        resolveText(ref);
        resolver.close();
        assertThatThrownBy(() -> resolver.resolve(ref)).isInstanceOf(IllegalStateException.class)
                .hasMessage("secret resolver is closed");
    }
}
