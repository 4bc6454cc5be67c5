package dev.warden.gateway.governance;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Counters in this process, for a single replica. Reservation is one short critical section over all lines, so a
 * budget is never overdrawn by concurrent requests. Settled spend is written to the store every second and at stop,
 * and read back at start, so restarts keep the month's spend (at most the last second can be lost in a crash).
 */
public final class MemoryCounters implements Counters, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemoryCounters.class);

    private final JdbcClient jdbc;
    // Every request takes it (reserve, settle, admit): a ReentrantLock, not a monitor, because a contended monitor
    // hands over to a waiting virtual thread through the scheduler's unblocker thread, and under a burst the waiters
    // queued faster than that drained them (a convoy that lasted seconds at 5,000 req/s). ADR 0008.
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Spend> spend = new HashMap<>();
    private final Map<String, long[]> windows = new HashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "warden-counter-flush");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Spend {
        /** Replaced in place (under the lock) when the limit is edited, never by a new Spend: see {@link #counter}. */
        Line line;
        long spent;
        long reserved;
        boolean dirty;

        Spend(Line line, long spent) {
            this.line = line;
            this.spent = spent;
        }
    }

    public MemoryCounters(JdbcClient jdbc) {
        this.jdbc = jdbc;
        flusher.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void reserve(List<Line> lines, long estimateNanos) throws BudgetExceededException {
        List<Spend> counters = new ArrayList<>(lines.size());
        for (Line line : lines) {
            counters.add(counter(line));
        }
        lock.lock();
        try {
            for (Spend counter : counters) {
                if (counter.spent + counter.reserved + estimateNanos > counter.line.limitNanos()) {
                    throw new BudgetExceededException(counter.line, counter.spent);
                }
            }
            for (Spend counter : counters) {
                counter.reserved += estimateNanos;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void settle(List<Line> lines, long reservedNanos, long actualNanos) {
        List<Spend> counters = new ArrayList<>(lines.size());
        for (Line line : lines) {
            counters.add(counter(line));
        }
        lock.lock();
        try {
            for (Spend counter : counters) {
                counter.reserved = Math.max(0, counter.reserved - reservedNanos);
                if (actualNanos > 0) {
                    counter.spent += actualNanos;
                    counter.dirty = true;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long spent(String scope, BudgetPeriod period, Instant windowStart) {
        // A read: it must not install or re-limit the counter that reserve() and settle() are updating.
        String key = key(scope, period, windowStart);
        lock.lock();
        try {
            Spend existing = spend.get(key);
            if (existing != null) {
                return existing.spent;
            }
        } finally {
            lock.unlock();
        }
        return stored(scope, period, windowStart);
    }

    private static String key(String scope, BudgetPeriod period, Instant windowStart) {
        return scope + '|' + period + '|' + windowStart.getEpochSecond();
    }

    private long stored(String scope, BudgetPeriod period, Instant windowStart) {
        return jdbc.sql("SELECT spent_nanos FROM spend WHERE scope = ? AND period = ? AND window_start = ?")
                .params(scope, period.label(), windowStart.atOffset(ZoneOffset.UTC))
                .query(Long.class).optional().orElse(0L);
    }

    /**
     * The one counter of a budget window. Counters are never replaced once installed: a caller holding one (reserve
     * and settle fetch theirs before taking the lock) must update the counter everyone else sees. An edited limit is
     * written into the existing counter instead.
     */
    private Spend counter(Line line) {
        String key = key(line.scope(), line.period(), line.windowStart());
        lock.lock();
        try {
            Spend existing = spend.get(key);
            if (existing != null) {
                if (existing.line.limitNanos() != line.limitNanos()) {
                    existing.line = line; // the limit was edited through the admin API: same counts, new limit
                }
                return existing;
            }
        } finally {
            lock.unlock();
        }
        // Read what earlier runs spent in this window; outside the lock, then installed once.
        long stored = stored(line.scope(), line.period(), line.windowStart());
        lock.lock();
        try {
            return spend.computeIfAbsent(key, k -> new Spend(line, stored));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void admit(String scope, Policy.RateLimit limit, Instant now) throws RateLimitedException {
        Instant minute = Counters.minute(now);
        Instant hour = Counters.hour(now);
        lock.lock();
        try {
            long[] m = windows.computeIfAbsent(scope + "|m|" + minute.getEpochSecond(), k -> new long[2]);
            long[] h = windows.computeIfAbsent(scope + "|h|" + hour.getEpochSecond(), k -> new long[2]);
            if (limit.rpm() > 0 && m[0] >= limit.rpm()) {
                throw new RateLimitedException(limit.rpm() + " requests per minute",
                        Counters.secondsUntil(minute, 60, now));
            }
            if (limit.rph() > 0 && h[0] >= limit.rph()) {
                throw new RateLimitedException(limit.rph() + " requests per hour",
                        Counters.secondsUntil(hour, 3600, now));
            }
            if (limit.tpm() > 0 && m[1] >= limit.tpm()) {
                throw new RateLimitedException(limit.tpm() + " tokens per minute",
                        Counters.secondsUntil(minute, 60, now));
            }
            if (limit.tph() > 0 && h[1] >= limit.tph()) {
                throw new RateLimitedException(limit.tph() + " tokens per hour",
                        Counters.secondsUntil(hour, 3600, now));
            }
            m[0]++;
            h[0]++;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void addTokens(String scope, Policy.RateLimit limit, Instant admittedAt, long tokens) {
        lock.lock();
        try {
            long[] m = windows.get(scope + "|m|" + Counters.minute(admittedAt).getEpochSecond());
            long[] h = windows.get(scope + "|h|" + Counters.hour(admittedAt).getEpochSecond());
            if (m != null) {
                m[1] += tokens;
            }
            if (h != null) {
                h[1] += tokens;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes settled spend to the store; drops rate windows older than an hour. */
    public void flush() {
        List<Spend> dirty = new ArrayList<>();
        List<long[]> values = new ArrayList<>();
        lock.lock();
        try {
            for (Spend counter : spend.values()) {
                if (counter.dirty) {
                    counter.dirty = false;
                    dirty.add(counter);
                    values.add(new long[] {counter.spent});
                }
            }
            long cutoff = Instant.now().getEpochSecond() - 7200;
            windows.keySet().removeIf(key -> Long.parseLong(key.substring(key.lastIndexOf('|') + 1)) < cutoff);
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < dirty.size(); i++) {
            Line line = dirty.get(i).line;
            jdbc.sql("""
                    MERGE INTO spend s
                    USING (VALUES (CAST(? AS VARCHAR(60)), CAST(? AS VARCHAR(10)), CAST(? AS TIMESTAMP WITH TIME ZONE)))
                          AS v(scope, period, window_start)
                       ON s.scope = v.scope AND s.period = v.period AND s.window_start = v.window_start
                    WHEN MATCHED THEN UPDATE SET spent_nanos = ?
                    WHEN NOT MATCHED THEN INSERT (scope, period, window_start, spent_nanos, reserved_nanos)
                         VALUES (v.scope, v.period, v.window_start, ?, 0)
                    """)
                    .params(line.scope(), line.period().label(), line.windowStart().atOffset(ZoneOffset.UTC),
                            values.get(i)[0], values.get(i)[0])
                    .update();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("could not write spend counters to the store (will retry): {}", e.toString());
            lock.lock();
            try {
                spend.values().forEach(counter -> counter.dirty = true);
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        flushQuietly();
    }
}
