package dev.warden.gateway.metrics;

import dev.warden.gateway.auth.KeyRepository;
import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.governance.BudgetPeriod;
import dev.warden.gateway.governance.Money;
import dev.warden.gateway.governance.OrgRepository;
import dev.warden.gateway.governance.Policy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What is left of every budget that has a limit, per scope (a key, a team, a customer) and period, in US dollars:
 * the limit minus the spend settled in the current window (reservations of requests still running are not counted).
 * There is one series per configured budget, labelled with the scope's id from the store, so the count is bounded by
 * what administrators configure, never by traffic.
 *
 * <p>The set of budgets and their spend are read every {@link #REFRESH} in one pass: the policies from the key and
 * org repositories, the spend from the {@code spend} table in a single query. Reading the table (which the counters
 * keep current, within a second in single-replica mode) rather than asking the counters once per budget keeps a
 * scrape from touching the counters' hot path at all.
 */
@Component
public class BudgetGauges implements AutoCloseable {
    /** How stale a budget gauge may be; well under any alerting window. */
    public static final Duration REFRESH = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(BudgetGauges.class);

    private final KeyRepository keys;
    private final OrgRepository orgs;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final ZoneId zone;
    private final MultiGauge remaining;
    private final MultiGauge limits;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "warden-budget-gauges");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Map<Line, Long> remainingNanos = Map.of();

    /** One series: whose budget it is and which period. */
    private record Line(String scope, String id, BudgetPeriod period) {
        /** The scope as the counters and the {@code spend} table name it, e.g. {@code team:team_1|month}. */
        String spendKey() {
            return scope + ':' + id + '|' + period.label();
        }

        Tags tags() {
            return Tags.of("scope", scope, "id", id, "period", period.label());
        }
    }

    private record Budget(Line line, long limitNanos) {
    }

    public BudgetGauges(MeterRegistry registry, KeyRepository keys, OrgRepository orgs, JdbcClient jdbc, Clock clock,
                        WardenProperties properties) {
        this.keys = keys;
        this.orgs = orgs;
        this.jdbc = jdbc;
        this.clock = clock;
        this.zone = properties.governance().timeZone();
        this.remaining = MultiGauge.builder("warden.budget.remaining.usd")
                .description("Budget left in the current period, in US dollars (limit minus settled spend)")
                .register(registry);
        this.limits = MultiGauge.builder("warden.budget.limit.usd")
                .description("Budget limit per period, in US dollars")
                .register(registry);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        // After the start, so the store's migrations have run before the first read.
        schedule.scheduleWithFixedDelay(this::refreshQuietly, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads budgets and spend now; the schedule calls it, and so may anyone who needs the gauges current. */
    public synchronized void refresh() {
        Instant now = clock.instant();
        List<Budget> budgets = budgets(now);
        Map<String, Long> spent = spentInCurrentWindows(now);
        Map<Line, Long> left = new HashMap<>();
        List<MultiGauge.Row<?>> remainingRows = new ArrayList<>(budgets.size());
        List<MultiGauge.Row<?>> limitRows = new ArrayList<>(budgets.size());
        for (Budget budget : budgets) {
            Line line = budget.line();
            left.put(line, budget.limitNanos() - spent.getOrDefault(line.spendKey(), 0L));
            // Rows read the latest snapshot, so a refresh changes values without re-registering meters.
            remainingRows.add(MultiGauge.Row.of(line.tags(), line, this::remainingUsd));
            limitRows.add(MultiGauge.Row.of(line.tags(), budget.limitNanos() / (double) Money.NANOS_PER_USD));
        }
        remainingNanos = Map.copyOf(left);
        remaining.register(remainingRows, false);
        limits.register(limitRows, true);
    }

    private double remainingUsd(Line line) {
        Long nanos = remainingNanos.get(line);
        return nanos == null ? Double.NaN : nanos / (double) Money.NANOS_PER_USD;
    }

    private List<Budget> budgets(Instant now) {
        List<Budget> budgets = new ArrayList<>();
        for (VirtualKey key : keys.findAll()) {
            if (key.activeAt(now)) {
                add(budgets, "key", key.id(), key.budgets());
            }
        }
        for (String kind : List.of("team", "customer")) {
            for (OrgRepository.Org org : orgs.list(kind)) {
                if (org.active()) {
                    add(budgets, kind, org.id(), org.budgets());
                }
            }
        }
        return budgets;
    }

    private static void add(List<Budget> budgets, String scope, String id, List<Policy.Budget> policies) {
        for (Policy.Budget policy : policies) {
            budgets.add(new Budget(new Line(scope, id, policy.period()), policy.limitNanos()));
        }
    }

    /** Settled spend of every scope in the window of each period that contains {@code now}, by scope and period. */
    private Map<String, Long> spentInCurrentWindows(Instant now) {
        StringBuilder where = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (BudgetPeriod period : BudgetPeriod.values()) {
            where.append(where.isEmpty() ? "" : " OR ").append("(period = ? AND window_start = ?)");
            params.add(period.label());
            params.add(period.windowStart(now, zone).atOffset(ZoneOffset.UTC));
        }
        Map<String, Long> spent = new HashMap<>();
        jdbc.sql("SELECT scope, period, spent_nanos FROM spend WHERE " + where).params(params)
                .query(rs -> {
                    spent.put(rs.getString("scope") + '|' + rs.getString("period"), rs.getLong("spent_nanos"));
                });
        return spent;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("could not read budgets for the budget gauges (keeping the last values): {}", e.toString());
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
