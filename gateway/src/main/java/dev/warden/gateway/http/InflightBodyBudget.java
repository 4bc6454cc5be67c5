package dev.warden.gateway.http;

import dev.warden.gateway.pipeline.Attribute;
import dev.warden.gateway.pipeline.Exchange;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the request bodies the gateway holds in memory at once. A body is parsed, scanned, redacted, recorded and
 * sent on, so each byte of it costs several in the heap while its request is in flight: without a bound, a few dozen
 * concurrent prompts of several megabytes (coding agents send whole files) exhausted a 384 MiB heap, and the
 * {@link OutOfMemoryError}s landed in whatever thread allocated next, the key store's included.
 *
 * <p>Each request takes a {@link Share} and grows it before its body buffer grows ({@link BoundedBody} asks first), so
 * a body with a Content-Length is admitted whole or not at all. When the budget is spent the request waits, its bytes
 * left unread in the socket (TCP pushes back on the caller), for at most {@code maxWait}; then it is refused with
 * {@link Exhausted}, which the gateway answers as 503 with {@code Retry-After} in the caller's protocol. A body that
 * fits is admitted at once even while a larger one waits (the semaphore is not fair): a burst of large prompts must
 * not hold up the small interactive requests behind it. The wait's bound keeps the large one from waiting forever.
 *
 * <p>A provider's answer read whole (not streamed) takes room in the same budget through {@link Share#answerRoom}:
 * it waits for room like a body, so that a few large answers at once (embedding batches of tens of megabytes) are read
 * one after another instead of together, but it is never refused, since the provider has answered (and is paid):
 * after the wait it overdraws the budget, which holds new bodies back until the answer is written.
 *
 * <p>Accounting is in KiB units and counts the body and answer buffers only; the limit is chosen with the rest of a
 * request's copies in mind ({@link #defaultLimit}).
 */
public final class InflightBodyBudget {
    private static final int UNIT = 1024;

    /** A semaphore that can be overdrawn: available permits go below zero until they are given back. */
    private static final class Units extends Semaphore {
        Units(int permits) {
            super(permits, false);
        }

        void overdraw(int permits) {
            reducePermits(permits);
        }
    }

    private final Units units;
    private final AtomicLong overdrafts = new AtomicLong();
    private final int totalUnits;
    private final long limitBytes;
    private final Duration maxWait;

    /**
     * @param limitBytes what all request bodies in flight may hold together; at least {@code maxBodyBytes + 1}, so a
     *     body of the largest accepted size can always be admitted on its own
     * @param maxWait how long a request may wait for room before it is refused
     */
    public InflightBodyBudget(long limitBytes, long maxBodyBytes, Duration maxWait) {
        if (limitBytes <= maxBodyBytes) {
            throw new IllegalArgumentException("inflight-body-limit: " + limitBytes + " bytes (expected: more than "
                    + "max-body-size, " + maxBodyBytes + " bytes)");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("inflight-body-wait: " + maxWait + " (expected: >= 0)");
        }
        long unitsLong = (limitBytes + UNIT - 1) / UNIT;
        this.totalUnits = (int) Math.min(Integer.MAX_VALUE, unitsLong);
        this.units = new Units(totalUnits);
        this.limitBytes = limitBytes;
        this.maxWait = maxWait;
    }

    /**
     * A tenth of the maximum heap (a body costs several times its size while in flight: the bytes, the parsed tree,
     * the scanned and redacted text, the upstream request), but never less than room for one largest body.
     */
    public static long defaultLimit(long maxBodyBytes) {
        return Math.max(maxBodyBytes + UNIT + 1, Runtime.getRuntime().maxMemory() / 10);
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** Provider answers so far that found no room within the wait and overdrew the budget. */
    public long overdrafts() {
        return overdrafts.get();
    }

    /** Bytes currently held by requests in flight (in whole KiB); above the limit while answers overdraw it. */
    public long inUseBytes() {
        return (long) (totalUnits - units.availablePermits()) * UNIT;
    }

    /**
     * Room for a provider's answer to {@code exchange}'s request: its share's, or none outside the gateway. The wait
     * is also bounded by {@code maxWait}: the read's idle watchdog must not end an answer while it waits for room.
     */
    public static BoundedBody.Reservation answerRoom(Exchange exchange, Duration maxWait) {
        Share share = exchange.find(Share.ATTRIBUTE);
        return share == null ? BoundedBody.Reservation.NONE : share.answerRoom(maxWait);
    }

    /** KiB units for {@code bytes}, at most the whole budget (so that one largest body always fits). */
    private int unitsFor(long bytes) {
        return (int) Math.min(totalUnits, (bytes + UNIT - 1) / UNIT);
    }

    /** Takes {@code count} units, waiting up to {@code waitNanos}; false when they did not come (or on interrupt). */
    private boolean acquire(int count, long waitNanos) {
        try {
            return units.tryAcquire(count, waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A new, empty share for one request. */
    public Share share() {
        return new Share();
    }

    /** The budget stayed spent for longer than the request may wait. */
    public static final class Exhausted extends IOException {
        private final long wanted;
        private final long inUse;
        private final long limit;

        Exhausted(long wanted, long inUse, long limit, Duration waited) {
            super("no room for a request body of " + wanted + " bytes: " + inUse + " of " + limit
                    + " bytes held by requests in flight for " + waited.toMillis() + " ms");
            this.wanted = wanted;
            this.inUse = inUse;
            this.limit = limit;
        }

        public long wanted() {
            return wanted;
        }

        public long inUse() {
            return inUse;
        }

        public long limit() {
            return limit;
        }
    }

    /**
     * One request's part of the budget. Used by the request's own thread only; {@link #close()} gives everything back
     * and may be called more than once.
     */
    public final class Share implements BoundedBody.Reservation, AutoCloseable {
        /** Where the gateway keeps the request's share, for the provider adapters to reserve their answer's room. */
        public static final Attribute<Share> ATTRIBUTE = Attribute.of("inflight-body-share", Share.class);

        private int held;
        private int answerHeld;

        private Share() {
        }

        @Override
        public void ensure(long bytes) throws Exhausted {
            int more = unitsFor(bytes) - held;
            if (more <= 0) {
                return;
            }
            if (!acquire(more, maxWait.toNanos())) {
                throw new Exhausted(bytes, inUseBytes(), limitBytes, maxWait);
            }
            held += more;
        }

        /**
         * Room for the provider's answer, apart from the body's: asked before each buffer of the answer is allocated
         * (in all, like {@link #ensure}); waits up to the budget's wait or {@code maxWait}, whichever is shorter,
         * then overdraws instead of refusing.
         */
        public BoundedBody.Reservation answerRoom(Duration maxWait) {
            long waitNanos = Math.min(InflightBodyBudget.this.maxWait.toNanos(), Math.max(0, maxWait.toNanos()));
            return bytes -> ensureAnswer(bytes, waitNanos);
        }

        private void ensureAnswer(long bytes, long waitNanos) {
            int more = unitsFor(bytes) - answerHeld;
            if (more <= 0) {
                return;
            }
            if (!acquire(more, waitNanos)) {
                units.overdraw(more);
                overdrafts.incrementAndGet();
            }
            answerHeld += more;
        }

        /** Bytes this share holds for the body and the answer (in whole KiB). */
        public long heldBytes() {
            return (long) (held + answerHeld) * UNIT;
        }

        @Override
        public void close() {
            int all = held + answerHeld;
            if (all > 0) {
                units.release(all);
                held = 0;
                answerHeld = 0;
            }
        }
    }
}
