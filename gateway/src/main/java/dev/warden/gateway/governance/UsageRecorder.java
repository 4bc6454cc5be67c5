package dev.warden.gateway.governance;

import dev.warden.gateway.pipeline.Usage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Usage per day, key, team, model and provider for reports and charts. Aggregated in memory and added to the store
 * every second (and at stop): reporting data, not enforcement — budgets are enforced by {@link Counters}.
 */
public final class UsageRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);

    private final JdbcClient jdbc;
    private final ZoneId zone;
    // Taken by every request; a ReentrantLock rather than a monitor for the reason given in MemoryCounters.
    private final ReentrantLock lock = new ReentrantLock();
    private Map<String, long[]> pending = new HashMap<>(); // guarded by lock
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "warden-usage-flush");
        thread.setDaemon(true);
        return thread;
    });

    public UsageRecorder(JdbcClient jdbc, ZoneId zone) {
        this.jdbc = jdbc;
        this.zone = zone;
        flusher.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
    }

    public void record(Instant at, String keyId, @Nullable String teamId, String model, String provider, Usage usage,
                       long costNanos) {
        String key = LocalDate.ofInstant(at, zone) + "\u0000" + keyId + "\u0000" + (teamId == null ? "" : teamId)
                + "\u0000" + model + "\u0000" + provider;
        lock.lock();
        try {
            long[] sums = pending.computeIfAbsent(key, k -> new long[6]);
            sums[0]++;
            sums[1] += usage.inputTokens();
            sums[2] += usage.outputTokens();
            sums[3] += usage.cachedInputTokens();
            sums[4] += usage.reasoningTokens();
            sums[5] += costNanos;
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is pending; waits for a flush already under way, so a reader after it sees every record. */
    public void flush() {
        synchronized (flushing) {
            flushNow();
        }
    }

    private final Object flushing = new Object();

    private void flushNow() {
        Map<String, long[]> batch;
        lock.lock();
        try {
            if (pending.isEmpty()) {
                return;
            }
            batch = pending;
            pending = new HashMap<>();
        } finally {
            lock.unlock();
        }
        try {
            batch.forEach((key, sums) -> {
                String[] parts = key.split("\u0000", -1);
                jdbc.sql("""
                        MERGE INTO usage_daily u
                        USING (VALUES (CAST(? AS DATE), CAST(? AS VARCHAR(40)), CAST(? AS VARCHAR(40)),
                                       CAST(? AS VARCHAR(256)), CAST(? AS VARCHAR(64))))
                              AS v(usage_day, key_id, team_id, model, provider)
                           ON u.usage_day = v.usage_day AND u.key_id = v.key_id AND u.team_id = v.team_id AND u.model = v.model
                          AND u.provider = v.provider
                        WHEN MATCHED THEN UPDATE SET requests = u.requests + ?, input_tokens = u.input_tokens + ?,
                             output_tokens = u.output_tokens + ?, cached_tokens = u.cached_tokens + ?,
                             reasoning_tokens = u.reasoning_tokens + ?, cost_nanos = u.cost_nanos + ?
                        WHEN NOT MATCHED THEN INSERT (usage_day, key_id, team_id, model, provider, requests, input_tokens,
                             output_tokens, cached_tokens, reasoning_tokens, cost_nanos)
                             VALUES (v.usage_day, v.key_id, v.team_id, v.model, v.provider, ?, ?, ?, ?, ?, ?)
                        """)
                        .params(LocalDate.parse(parts[0]), parts[1], parts[2], parts[3], parts[4],
                                sums[0], sums[1], sums[2], sums[3], sums[4], sums[5],
                                sums[0], sums[1], sums[2], sums[3], sums[4], sums[5])
                        .update();
            });
        } catch (RuntimeException e) {
            lock.lock();
            try {
                // Put the batch back so nothing is lost; it is retried with the next flush.
                batch.forEach((key, sums) -> pending.merge(key, sums, (a, b) -> {
                    for (int i = 0; i < a.length; i++) {
                        a[i] += b[i];
                    }
                    return a;
                }));
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("could not write usage to the store (will retry): {}", e.toString());
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        flushQuietly();
    }
}
