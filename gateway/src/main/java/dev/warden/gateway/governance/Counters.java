package dev.warden.gateway.governance;

import java.time.Instant;
import java.util.List;

/**
 * Spend and rate counters. Budgets: a request reserves its worst-case cost on every budget line (key, team,
 * customer) or on none, and later settles its actual cost, which replaces the reservation. Rate limits: a request is
 * admitted into the current minute and hour windows, and its tokens are added when known.
 *
 * <p>Two implementations: {@link MemoryCounters} (one replica) and {@link StoreCounters} (database rows with
 * conditional updates, exact across replicas). See docs/adr/0002-budget-reservations.md.
 */
public interface Counters {

    /** One budget to charge: a scope ({@code key:…}, {@code team:…}), its window, and the limit. */
    record Line(String scope, BudgetPeriod period, Instant windowStart, long limitNanos) {
    }

    /** Reserves {@code estimate} on all lines, or throws naming the first line that cannot take it. */
    void reserve(List<Line> lines, long estimateNanos) throws BudgetExceededException;

    /** Replaces a reservation by the actual cost (0 releases it). */
    void settle(List<Line> lines, long reservedNanos, long actualNanos);

    /** Settled spend in a window (reservations not included). */
    long spent(String scope, BudgetPeriod period, Instant windowStart);

    /** Counts a request in the current minute and hour windows, or throws with the seconds until one frees up. */
    void admit(String scope, Policy.RateLimit limit, Instant now) throws RateLimitedException;

    /** Adds a finished request's tokens to the windows it was admitted in. */
    void addTokens(String scope, Policy.RateLimit limit, Instant admittedAt, long tokens);

    /** A budget that cannot take the request. */
    final class BudgetExceededException extends Exception {
        private final Line line;
        private final long spentNanos;

        public BudgetExceededException(Line line, long spentNanos) {
            super(line.scope() + " " + line.period().label() + " budget", null, false, false);
            this.line = line;
            this.spentNanos = spentNanos;
        }

        public Line line() {
            return line;
        }

        public long spentNanos() {
            return spentNanos;
        }
    }

    /** A rate limit that is reached. */
    final class RateLimitedException extends Exception {
        private final long retryAfterSeconds;

        public RateLimitedException(String what, long retryAfterSeconds) {
            super(what, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** Window start for rate limits: the minute or the hour containing {@code now}. */
    static Instant minute(Instant now) {
        return Instant.ofEpochSecond(now.getEpochSecond() / 60 * 60);
    }

    static Instant hour(Instant now) {
        return Instant.ofEpochSecond(now.getEpochSecond() / 3600 * 3600);
    }

    static long secondsUntil(Instant windowStart, long windowSeconds, Instant now) {
        return Math.max(1, windowStart.getEpochSecond() + windowSeconds - now.getEpochSecond());
    }
}
