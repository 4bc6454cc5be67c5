package dev.warden.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void windowsStartAtCalendarBoundariesInTheConfiguredZone() {
        Instant now = Instant.parse("2026-03-31T22:30:00Z"); // already April 1st, 00:30 in Berlin (CEST)
        assertThat(BudgetPeriod.DAY.windowStart(now, BERLIN)).isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
        assertThat(BudgetPeriod.MONTH.windowStart(now, BERLIN)).isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
        assertThat(BudgetPeriod.MONTH.windowStart(now, ZoneId.of("UTC"))).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(BudgetPeriod.WEEK.windowStart(now, BERLIN)).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
        assertThat(BudgetPeriod.TOTAL.windowStart(now, BERLIN)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void resetsAtTheNextBoundary() {
        Instant now = Instant.parse("2026-12-31T23:59:59Z");
        ZoneId utc = ZoneId.of("UTC");
        assertThat(BudgetPeriod.DAY.resetsAt(now, utc)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(BudgetPeriod.MONTH.resetsAt(now, utc)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(BudgetPeriod.WEEK.resetsAt(now, utc)).isEqualTo(Instant.parse("2027-01-04T00:00:00Z"));
    }

    @Test
    void aNewWindowStartsEmpty() throws Exception {
        var jdbc = org.springframework.jdbc.core.simple.JdbcClient.create(h2());
        MemoryCounters counters = new MemoryCounters(jdbc);
        Instant december = Instant.parse("2026-12-31T23:00:00Z");
        Instant january = Instant.parse("2027-01-01T00:30:00Z");
        ZoneId utc = ZoneId.of("UTC");
        Counters.Line dec = new Counters.Line("key:k", BudgetPeriod.MONTH, BudgetPeriod.MONTH.windowStart(december, utc),
                100);
        counters.reserve(java.util.List.of(dec), 100);
        counters.settle(java.util.List.of(dec), 100, 100);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> counters.reserve(java.util.List.of(dec), 1))
                .isInstanceOf(Counters.BudgetExceededException.class);

        Counters.Line jan = new Counters.Line("key:k", BudgetPeriod.MONTH, BudgetPeriod.MONTH.windowStart(january, utc),
                100);
        counters.reserve(java.util.List.of(jan), 100);
        counters.close();
    }

    static javax.sql.DataSource h2() {
        var dataSource = new org.h2.jdbcx.JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + System.nanoTime() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        org.flywaydb.core.Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }
}
