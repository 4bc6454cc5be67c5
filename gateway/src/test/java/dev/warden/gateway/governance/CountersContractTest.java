package dev.warden.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.gateway.testing.TestPostgres;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** Every counter implementation, on H2 and on a real PostgreSQL, keeps budgets exact under concurrency. */
class CountersContractTest {

    private static Counters counters(String kind) {
        DataSource dataSource = switch (kind) {
            case "memory-h2", "store-h2" -> BudgetPeriodTest.h2();
            default -> {
                DriverManagerDataSource pg = new DriverManagerDataSource(TestPostgres.newDatabase(), "postgres", "");
                Flyway.configure().dataSource(pg).locations("classpath:db/migration").load().migrate();
                yield pg;
            }
        };
        JdbcClient jdbc = JdbcClient.create(dataSource);
        return kind.startsWith("memory") ? new MemoryCounters(jdbc)
                : new StoreCounters(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory-h2", "store-h2", "store-postgres"})
    void concurrentReservationsNeverOverdrawAnyLine(String kind) throws Exception {
        Counters counters = counters(kind);
        Instant window = Instant.parse("2026-11-01T00:00:00Z");
        List<Counters.Line> lines = List.of(
                new Counters.Line("key:k1", BudgetPeriod.MONTH, window, 1_000),
                new Counters.Line("team:t1", BudgetPeriod.MONTH, window, 700));
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 60; i++) {
                pool.submit(() -> {
                    start.await();
                    try {
                        counters.reserve(lines, 30);
                        admitted.incrementAndGet();
                        counters.settle(lines, 30, 25);
                    } catch (Counters.BudgetExceededException expected) {
                        // over budget
                    }
                    return null;
                });
            }
            start.countDown();
        }
        long teamSpent = counters.spent("team:t1", BudgetPeriod.MONTH, window);
        assertThat(teamSpent).isEqualTo(admitted.get() * 25L).isLessThanOrEqualTo(700);
        assertThat(counters.spent("key:k1", BudgetPeriod.MONTH, window)).isEqualTo(teamSpent);
        assertThat(admitted.get()).isGreaterThanOrEqualTo(700 / 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory-h2", "store-h2", "store-postgres"})
    void readingSpendWhileRequestsSettleLosesNothingAndKeepsTheLimit(String kind) throws Exception {
        Counters counters = counters(kind);
        Instant window = Instant.parse("2026-11-01T00:00:00Z");
        Counters.Line line = new Counters.Line("key:read", BudgetPeriod.MONTH, window, 1_000_000);
        // The memory counters race in nanoseconds, so they need many rounds to show a lost update; the store's take
        // milliseconds a round and show one in a few hundred.
        int rounds = kind.startsWith("memory") ? 5000 : 300;
        java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int r = 0; r < 2; r++) {
                pool.submit(() -> {
                    while (reading.get()) {
                        counters.spent("key:read", BudgetPeriod.MONTH, window); // the admin API and gauges do this
                    }
                    return null;
                });
            }
            List<java.util.concurrent.Future<?>> writers = new java.util.ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                writers.add(pool.submit(() -> {
                    counters.reserve(List.of(line), 10);
                    counters.settle(List.of(line), 10, 7);
                    return null;
                }));
            }
            for (var writer : writers) {
                writer.get();
            }
            reading.set(false);
        }
        assertThat(counters.spent("key:read", BudgetPeriod.MONTH, window)).isEqualTo(rounds * 7L);
        Counters.Line full = new Counters.Line("key:read", BudgetPeriod.MONTH, window, rounds * 7L + 5);
        assertThatThrownBy(() -> counters.reserve(List.of(full), 10))
                .as("the limit still applies after reads").isInstanceOf(Counters.BudgetExceededException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory-h2", "store-h2", "store-postgres"})
    void aReleasedReservationFreesTheBudget(String kind) throws Exception {
        Counters counters = counters(kind);
        Counters.Line line = new Counters.Line("key:k", BudgetPeriod.DAY, Instant.parse("2026-11-24T00:00:00Z"), 100);
        counters.reserve(List.of(line), 100);
        assertThatThrownBy(() -> counters.reserve(List.of(line), 1)).isInstanceOf(Counters.BudgetExceededException.class);
        counters.settle(List.of(line), 100, 0);
        counters.reserve(List.of(line), 100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory-h2", "store-h2", "store-postgres"})
    void rateWindowsCountRequestsAndTokens(String kind) throws Exception {
        Counters counters = counters(kind);
        Policy.RateLimit limit = new Policy.RateLimit(3, 0, 0, 0);
        Instant now = Instant.parse("2026-11-24T10:00:30Z");
        for (int i = 0; i < 3; i++) {
            counters.admit("key:r", limit, now);
        }
        assertThatThrownBy(() -> counters.admit("key:r", limit, now))
                .isInstanceOfSatisfying(Counters.RateLimitedException.class,
                        e -> assertThat(e.retryAfterSeconds()).isEqualTo(30));
        counters.admit("key:r", limit, now.plusSeconds(30)); // the next minute

        Policy.RateLimit tokens = new Policy.RateLimit(0, 0, 100, 0);
        counters.admit("key:t", tokens, now);
        counters.addTokens("key:t", tokens, now, 150);
        assertThatThrownBy(() -> counters.admit("key:t", tokens, now)).isInstanceOf(Counters.RateLimitedException.class);
    }
}
