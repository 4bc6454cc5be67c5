package dev.warden.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LedgerSyncsTest {
    private static String exposition(double le1, double le2, double le4, double inf, double sum, double entries) {
        return """
                # HELP warden_ledger_sync_seconds fsync of one ledger group commit
                # TYPE warden_ledger_sync_seconds histogram
                warden_ledger_sync_seconds_bucket{application="warden",le="1.0E-4"} %s
                warden_ledger_sync_seconds_bucket{application="warden",le="2.0E-4"} %s
                warden_ledger_sync_seconds_bucket{application="warden",le="4.0E-4"} %s
                warden_ledger_sync_seconds_bucket{application="warden",le="+Inf"} %s
                warden_ledger_sync_seconds_count{application="warden"} %s
                warden_ledger_sync_seconds_sum{application="warden"} %s
                warden_ledger_sync_seconds_max{application="warden"} 0.0004
                warden_ledger_sync_entries_count{application="warden"} %s
                warden_ledger_sync_entries_sum{application="warden"} %s
                warden_ledger_append_seconds_count{application="warden"} 999
                """.formatted(le1, le2, le4, inf, inf, sum, inf, entries);
    }

    @Test
    void reportsQuantilesEntriesAndRateOfThePhaseOnly() {
        // Before the phase: 10 fsyncs, all under 0.1 ms. During it: 100 more, 50 in (0.1, 0.2] ms and 50 in
        // (0.2, 0.4] ms, making 300 entries durable, in 2 s.
        LedgerSyncs before = LedgerSyncs.parse(exposition(10, 10, 10, 10, 0.0005, 40));
        LedgerSyncs after = LedgerSyncs.parse(exposition(10, 60, 110, 110, 0.0305, 340));

        String summary = after.since(before, Duration.ofSeconds(2));

        // p50: rank 50 of 100 is the last of the (0.1, 0.2] bucket -> 0.2 ms; p99: rank 99, 49/50 into (0.2, 0.4].
        assertEquals("0.20 / 0.40 (3.0, 50/s)", summary);
    }

    @Test
    void interpolatesWithinABucket() {
        LedgerSyncs before = LedgerSyncs.parse(exposition(0, 0, 0, 0, 0, 0));
        LedgerSyncs after = LedgerSyncs.parse(exposition(0, 100, 100, 100, 0.015, 100));

        String summary = after.since(before, Duration.ofSeconds(1));
        assertTrue(summary.startsWith("0.15 / "), summary);
    }

    @Test
    void showsNothingWithoutMetricsOrWithoutFsyncs() {
        LedgerSyncs some = LedgerSyncs.parse(exposition(1, 1, 1, 1, 0.0001, 2));

        assertEquals("", some.since(LedgerSyncs.NONE, Duration.ofSeconds(1)));
        assertEquals("", LedgerSyncs.NONE.since(some, Duration.ofSeconds(1)));
        assertEquals("", some.since(some, Duration.ofSeconds(1)));
        assertEquals("", LedgerSyncs.parse("portkey has no such metrics\n").since(some, Duration.ofSeconds(1)));
    }
}
