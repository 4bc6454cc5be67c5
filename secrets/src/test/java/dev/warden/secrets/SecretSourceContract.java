package dev.warden.secrets;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The one contract every {@link SecretSource} passes, through a {@link SecretResolver}, against a local server that
 * speaks the backend's real wire protocol with the official client pointed at it.
 *
 * <p>Every stored value is a canary: after each test, no captured log line (every library at DEBUG, stack traces
 * included) and no exception seen by the test (message and stack trace) may contain any of them.
 */
public abstract class SecretSourceContract {

    protected static final Duration TTL = Duration.ofMinutes(5);
    protected static final Duration REFRESH_AHEAD = Duration.ofMinutes(1);
    protected static final Duration MAX_STALE = Duration.ofMinutes(10);
    protected static final Duration RETRY = Duration.ofSeconds(5);

    static {
        CapturedLogs.install();
    }

    /** What a backend's local server can be made to do; a capability it lacks skips that test with a reason. */
    protected enum Capability { FIELDS, DENY, STOP }

    /** A local server speaking one backend's protocol, and the source under test pointed at it. */
    protected interface Backend extends AutoCloseable {

        SecretSource source();

        /** Stores or replaces (rotates) a single-value secret; returns a reference that reads it. */
        String put(String name, String value);

        /** Stores a key/value secret; returns its reference without a field. Only with {@link Capability#FIELDS}. */
        default String putFields(String name, Map<String, String> fields) {
            throw new UnsupportedOperationException("no fields");
        }

        /** A well-formed reference to a secret that does not exist. */
        String missing();

        /** From now on the gateway's identity may not read {@code name}. Only with {@link Capability#DENY}. */
        default void deny(String name) {
            throw new UnsupportedOperationException("no permissions");
        }

        /** Refuse connections / come back. Only with {@link Capability#STOP}. */
        default void stop() {
            throw new UnsupportedOperationException("cannot stop");
        }

        default void start() {
            throw new UnsupportedOperationException("cannot start");
        }

        /** Secret reads the backend has answered so far (reads only, not logins or probes). */
        int reads();

        boolean can(Capability capability);

        @Override
        void close() throws Exception;
    }

    protected final MutableClock clock = new MutableClock();
    protected final List<String> canaries = new ArrayList<>();
    private final List<Throwable> seen = new ArrayList<>();
    protected Backend backend;
    protected SecretResolver resolver;

    /** Starts the backend's local server and the source under test. */
    protected abstract Backend startBackend() throws Exception;

    @BeforeEach
    void startContract() throws Exception {
        CapturedLogs.clear();
        backend = startBackend();
        resolver = SecretResolver.builder()
                .source(backend.source())
                .ttl(TTL).refreshAhead(REFRESH_AHEAD).maxStale(MAX_STALE).retryInterval(RETRY)
                .fetchTimeout(Duration.ofSeconds(20))
                .clock(clock)
                .build();
    }

    @AfterEach
    void stopContractAndCheckCanaries() throws Exception {
        resolver.close();
        backend.close();
        for (String canary : canaries) {
            for (String line : CapturedLogs.lines()) {
                assertThat(line).as("a captured log line").doesNotContain(canary);
            }
            for (Throwable t : seen) {
                assertThat(stackTrace(t)).as("an exception seen by the test").doesNotContain(canary);
            }
        }
    }

    /** A recognisable, unique value; remembered so the after-test check looks for it everywhere. */
    protected String canary(String label) {
        String value = "wrdn-canary-" + label + "-" + UUID.randomUUID();
        canaries.add(value);
        return value;
    }

    protected String resolveText(String reference) {
        try (SecretValue value = resolver.resolve(reference)) {
            assertThat(value.toString()).isEqualTo("****");
            return value.reveal();
        }
    }

    protected SecretUnavailableException unavailable(String reference) {
        SecretUnavailableException e = catchThrowableOfType(SecretUnavailableException.class,
                () -> resolver.resolve(reference).close());
        assertThat(e).as("resolving %s should fail closed", reference).isNotNull();
        seen.add(e);
        assertThat(e.getMessage()).contains(reference(reference));
        return e;
    }

    private String reference(String text) {
        return SecretReference.parse(text).toString();
    }

    @Test
    void resolvesStoredSecret() {
        String value = canary("resolve");
        String ref = backend.put("warden-openai", value);
        assertThat(resolveText(ref)).isEqualTo(value);
    }

    @Test
    void missingSecretFailsClosedAsNotFound() {
        SecretUnavailableException e = unavailable(backend.missing());
        assertThat(e.getCause()).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void wrongFieldFailsClosedNamingTheField() {
        assumeThat(backend.can(Capability.FIELDS)).as("backend has key/value secrets").isTrue();
        String user = canary("user");
        String password = canary("password");
        String ref = backend.putFields("warden-db", Map.of("user", user, "password", password));
        assertThat(resolveText(ref + "#password")).isEqualTo(password);
        SecretUnavailableException e = unavailable(ref + "#passwd");
        assertThat(e.getCause()).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).contains("'passwd'");
    }

    @Test
    void fieldOnBackendWithoutFieldsIsAnInvalidReference() {
        assumeThat(backend.can(Capability.FIELDS)).as("backend without key/value secrets").isFalse();
        String ref = backend.put("warden-plain", canary("plain"));
        InvalidSecretReferenceException e = catchThrowableOfType(InvalidSecretReferenceException.class,
                () -> resolver.reference(ref + "#field"));
        assertThat(e).isNotNull();
        seen.add(e);
        assertThat(e.getMessage()).contains("expected");
    }

    @Test
    void permissionDeniedFailsClosedAsAccessDenied() {
        assumeThat(backend.can(Capability.DENY)).as("backend has permissions").isTrue();
        String ref = backend.put("warden-locked", canary("locked"));
        backend.deny("warden-locked");
        SecretUnavailableException e = unavailable(ref);
        assertThat(e.getCause()).isInstanceOf(SecretAccessDeniedException.class);
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void backendDownWithNothingCachedFailsClosed() {
        assumeThat(backend.can(Capability.STOP)).as("backend can be stopped").isTrue();
        String ref = backend.put("warden-down", canary("down"));
        backend.stop();
        SecretUnavailableException e = unavailable(ref);
        assertThat(e.getCause()).isInstanceOf(SecretBackendException.class);
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void backendDownServesStaleForBoundedTimeThenFailsClosed() throws Exception {
        assumeThat(backend.can(Capability.STOP)).as("backend can be stopped").isTrue();
        String value = canary("stale");
        String ref = backend.put("warden-stale", value);
        assertThat(resolveText(ref)).isEqualTo(value);
        backend.stop();

        clock.advance(TTL.plusSeconds(1));
        assertThat(resolveText(ref)).as("served stale just after expiry").isEqualTo(value);
        clock.advance(MAX_STALE.minusSeconds(10));
        assertThat(resolveText(ref)).as("served stale until the limit").isEqualTo(value);

        clock.advance(Duration.ofSeconds(10));
        SecretUnavailableException e = unavailable(ref);
        assertThat(e.getMessage()).contains("serve-stale limit");
        assertThat(e.getCause()).isInstanceOf(SecretBackendException.class);

        backend.start();
        // Clients reconnect with their own backoff (gRPC channels wait before redialling), so allow a few seconds.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String back = null;
        while (back == null) {
            clock.advance(RETRY);
            try {
                back = resolveText(ref);
            } catch (SecretUnavailableException notYet) {
                seen.add(notYet);
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(200);
            }
        }
        assertThat(back).as("back once the backend answers").isEqualTo(value);
    }

    @Test
    void rotationIsPickedUpByBackgroundRefreshWithoutWaiting() throws Exception {
        String v1 = canary("rotate-v1");
        String v2 = canary("rotate-v2");
        String ref = backend.put("warden-rotating", v1);
        assertThat(resolveText(ref)).isEqualTo(v1);
        backend.put("warden-rotating", v2);

        clock.advance(TTL.minus(REFRESH_AHEAD).plusSeconds(1));
        // Inside the refresh-ahead window the request is answered from the cache and starts a refresh...
        assertThat(resolveText(ref)).isIn(v1, v2);
        // ...and a request after that refresh gets the rotated value, with no restart and before expiry.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String current;
        do {
            current = resolveText(ref);
            if (!current.equals(v2)) {
                Thread.sleep(20);
            }
        } while (!current.equals(v2) && System.nanoTime() < deadline);
        assertThat(current).isEqualTo(v2);
    }

    @Test
    void cachedWithinTtlAndFetchedAgainAfterExpiry() {
        String v1 = canary("ttl-v1");
        String v2 = canary("ttl-v2");
        String ref = backend.put("warden-ttl", v1);
        assertThat(resolveText(ref)).isEqualTo(v1);
        int reads = backend.reads();
        backend.put("warden-ttl", v2);

        clock.advance(TTL.minus(REFRESH_AHEAD).minusSeconds(1));
        assertThat(resolveText(ref)).as("cached before the refresh window").isEqualTo(v1);
        assertThat(backend.reads()).as("no backend read for a cache hit").isEqualTo(reads);

        clock.advance(REFRESH_AHEAD.plusSeconds(2));
        assertThat(resolveText(ref)).as("fetched again once expired").isEqualTo(v2);
    }

    @Test
    void forcedRefreshReplacesTheCachedValueAtOnce() {
        String v1 = canary("forced-v1");
        String v2 = canary("forced-v2");
        String ref = backend.put("warden-forced", v1);
        assertThat(resolveText(ref)).isEqualTo(v1);
        backend.put("warden-forced", v2);
        resolver.refresh(ref);
        assertThat(resolveText(ref)).isEqualTo(v2);
        assertThat(resolver.refreshAll()).containsExactly(new RefreshOutcome.Refreshed(SecretReference.parse(ref)));
    }

    @Test
    void healthShowsReachabilityOnly() {
        // Some backends probe only what was used (Key Vault's vaults, Google's projects), so use one first.
        resolveText(backend.put("warden-health", canary("health")));
        assertThat(resolver.health()).singleElement()
                .satisfies(h -> assertThat(h.status()).isEqualTo(SecretSourceHealth.Status.UP));
        assumeThat(backend.can(Capability.STOP)).as("backend can be stopped").isTrue();
        backend.stop();
        assertThat(resolver.health()).singleElement()
                .satisfies(h -> assertThat(h.status()).isEqualTo(SecretSourceHealth.Status.DOWN));
    }

    @Test
    void malformedReferenceIsRejectedBeforeAnyNetworkCall() {
        int reads = backend.reads();
        String ref = backend.missing();
        String broken = ref.substring(0, ref.indexOf("://") + 3);
        assertThatThrownBy(() -> resolver.resolve(broken))
                .isInstanceOf(InvalidSecretReferenceException.class)
                .hasMessageContaining("expected");
        assertThat(backend.reads()).isEqualTo(reads);
    }

    protected static String stackTrace(@Nullable Throwable t) {
        if (t == null) {
            return "";
        }
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
