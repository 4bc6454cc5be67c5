package dev.warden.sso.web;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits guessing at a sign-in form: at most {@code maxAttempts} unsuccessful attempts per source address in a fixed
 * window that opens with the first attempt; after that the address is refused until the window closes. A successful
 * sign-in forgets the address.
 *
 * <p>An attempt is counted when it is admitted, before the secret is checked, so that parallel requests cannot slip
 * past the limit while the first ones are still being verified; {@link #succeeded} then takes it back. Refused
 * attempts are not counted and do not extend the window, so the wait a refusal announces is the wait.
 *
 * <p>Memory is bounded: at most {@code maxAddresses} addresses are tracked. When a new address would exceed that,
 * windows that have closed are dropped first, then the oldest window. An attacker with that many addresses can thus
 * evict a blocked one, but such an attacker is not slowed by a per-address limit anyway; the bound is what keeps one
 * from exhausting the heap. Per replica, in memory: with N replicas behind a balancer an address gets up to N times
 * the limit, which still turns guessing a 32-byte random token from hopeless into more hopeless.
 *
 * <p>Thread-safe.
 */
public final class SignInThrottle {

    /** Whether an attempt may go ahead. */
    public sealed interface Admission {
    }

    /**
     * The attempt may proceed and has been counted.
     *
     * @param remaining further attempts this address may make in the current window if this one fails; 0 means this
     *     is the last one
     * @param windowEnd when the current window closes
     */
    public record Admitted(int remaining, Instant windowEnd) implements Admission {
    }

    /**
     * Too many attempts from this address: refuse without checking anything.
     *
     * @param retryAfter how long until the window closes, at least one second
     */
    public record Refused(Duration retryAfter) implements Admission {
    }

    private final int maxAttempts;
    private final Duration window;
    private final int maxAddresses;
    private final Clock clock;
    // Insertion order is window-start order (a restarted window is removed and put again), so the eldest entry is the
    // window that closes first.
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

    private static final class Window {
        final Instant start;
        int attempts;

        Window(Instant start) {
            this.start = start;
        }
    }

    /**
     * @param maxAttempts attempts admitted per address and window, at least 1
     * @param window the length of a window, positive
     * @param maxAddresses addresses tracked at once, at least 1
     */
    public SignInThrottle(int maxAttempts, Duration window, int maxAddresses, Clock clock) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
        }
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("maxAddresses: " + maxAddresses + " (expected: >= 1)");
        }
        this.maxAttempts = maxAttempts;
        this.window = window;
        this.maxAddresses = maxAddresses;
        this.clock = requireNonNull(clock, "clock");
    }

    /** Decides on, and if admitted counts, one attempt from {@code address}. */
    public synchronized Admission admit(String address) {
        requireNonNull(address, "address");
        Instant now = clock.instant();
        Window current = windows.get(address);
        if (current == null || !now.isBefore(current.start.plus(window))) {
            windows.remove(address);
            makeRoom(now);
            current = new Window(now);
            windows.put(address, current);
        }
        Instant end = current.start.plus(window);
        if (current.attempts >= maxAttempts) {
            return new Refused(roundedUpToSeconds(Duration.between(now, end)));
        }
        current.attempts++;
        return new Admitted(maxAttempts - current.attempts, end);
    }

    /** The attempt from {@code address} succeeded: its earlier failures no longer count. */
    public synchronized void succeeded(String address) {
        windows.remove(requireNonNull(address, "address"));
    }

    /** How many addresses are tracked now; never more than {@code maxAddresses}. */
    synchronized int trackedAddresses() {
        return windows.size();
    }

    private void makeRoom(Instant now) {
        if (windows.size() < maxAddresses) {
            return;
        }
        for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next().getValue().start.plus(window))) {
                it.remove();
            } else {
                // Windows are in start order: once one is still open, all later ones are too.
                break;
            }
        }
        if (windows.size() >= maxAddresses) {
            Iterator<String> eldest = windows.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    private static Duration roundedUpToSeconds(Duration d) {
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, seconds));
    }
}
