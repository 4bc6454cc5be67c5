package dev.warden.gateway.governance;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Counters as database rows, shared by every replica: a reservation is a conditional update
 * ({@code … WHERE spent + reserved + estimate <= limit}) on each line inside one transaction, so two replicas can
 * never both take the last dollar. Lines are always locked in the same order (key, team, customer): no deadlocks.
 */
public final class StoreCounters implements Counters {
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public StoreCounters(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public void reserve(List<Line> lines, long estimateNanos) throws BudgetExceededException {
        for (Line line : lines) {
            ensureRow("spend", "period", line.scope(), line.period().label(), line.windowStart());
        }
        Line refused = transactions.execute(status -> {
            for (Line line : lines) {
                int updated = jdbc.sql("""
                        UPDATE spend SET reserved_nanos = reserved_nanos + ?
                         WHERE scope = ? AND period = ? AND window_start = ?
                           AND spent_nanos + reserved_nanos + ? <= ?
                        """)
                        .params(estimateNanos, line.scope(), line.period().label(), at(line.windowStart()),
                                estimateNanos, line.limitNanos())
                        .update();
                if (updated == 0) {
                    status.setRollbackOnly();
                    return line;
                }
            }
            return null;
        });
        if (refused != null) {
            throw new BudgetExceededException(refused, spent(refused.scope(), refused.period(), refused.windowStart()));
        }
    }

    @Override
    public void settle(List<Line> lines, long reservedNanos, long actualNanos) {
        transactions.executeWithoutResult(status -> {
            for (Line line : lines) {
                jdbc.sql("""
                        UPDATE spend SET reserved_nanos = GREATEST(0, reserved_nanos - ?), spent_nanos = spent_nanos + ?
                         WHERE scope = ? AND period = ? AND window_start = ?
                        """)
                        .params(reservedNanos, actualNanos, line.scope(), line.period().label(), at(line.windowStart()))
                        .update();
            }
        });
    }

    @Override
    public long spent(String scope, BudgetPeriod period, Instant windowStart) {
        return jdbc.sql("SELECT spent_nanos FROM spend WHERE scope = ? AND period = ? AND window_start = ?")
                .params(scope, period.label(), at(windowStart)).query(Long.class).optional().orElse(0L);
    }

    @Override
    public void admit(String scope, Policy.RateLimit limit, Instant now) throws RateLimitedException {
        Instant minute = Counters.minute(now);
        Instant hour = Counters.hour(now);
        ensureRow("rate_windows", "window_kind", scope, "m", minute);
        ensureRow("rate_windows", "window_kind", scope, "h", hour);
        String refused = transactions.execute(status -> {
            int m = jdbc.sql("""
                    UPDATE rate_windows SET requests = requests + 1
                     WHERE scope = ? AND window_kind = 'm' AND window_start = ?
                       AND (? = 0 OR requests < ?) AND (? = 0 OR tokens < ?)
                    """).params(scope, at(minute), limit.rpm(), limit.rpm(), limit.tpm(), limit.tpm()).update();
            if (m == 0) {
                status.setRollbackOnly();
                return "m";
            }
            int h = jdbc.sql("""
                    UPDATE rate_windows SET requests = requests + 1
                     WHERE scope = ? AND window_kind = 'h' AND window_start = ?
                       AND (? = 0 OR requests < ?) AND (? = 0 OR tokens < ?)
                    """).params(scope, at(hour), limit.rph(), limit.rph(), limit.tph(), limit.tph()).update();
            if (h == 0) {
                status.setRollbackOnly();
                return "h";
            }
            return null;
        });
        if ("m".equals(refused)) {
            throw new RateLimitedException("the per-minute limit (" + limit.rpm() + " requests, " + limit.tpm()
                    + " tokens; 0 = none)", Counters.secondsUntil(minute, 60, now));
        }
        if ("h".equals(refused)) {
            throw new RateLimitedException("the per-hour limit (" + limit.rph() + " requests, " + limit.tph()
                    + " tokens; 0 = none)", Counters.secondsUntil(hour, 3600, now));
        }
    }

    @Override
    public void addTokens(String scope, Policy.RateLimit limit, Instant admittedAt, long tokens) {
        jdbc.sql("UPDATE rate_windows SET tokens = tokens + ? WHERE scope = ? AND window_kind = 'm' AND window_start = ?")
                .params(tokens, scope, at(Counters.minute(admittedAt))).update();
        jdbc.sql("UPDATE rate_windows SET tokens = tokens + ? WHERE scope = ? AND window_kind = 'h' AND window_start = ?")
                .params(tokens, scope, at(Counters.hour(admittedAt))).update();
    }

    private void ensureRow(String table, String kindColumn, String scope, String kind, Instant windowStart) {
        Integer exists = jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE scope = ? AND " + kindColumn
                + " = ? AND window_start = ?").params(scope, kind, at(windowStart)).query(Integer.class).single();
        if (exists != null && exists > 0) {
            return;
        }
        try {
            jdbc.sql("INSERT INTO " + table + " (scope, " + kindColumn + ", window_start) VALUES (?, ?, ?)")
                    .params(scope, kind, at(windowStart)).update();
        } catch (DataIntegrityViolationException raced) {
            // another replica created it first: fine
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
