package dev.warden.bench.lag;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopLagMeterTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aLoopThatWakesOnTimeHasNoLag() {
        LoopLagMeter m = new LoopLagMeter(0);
        long now = 0;
        for (int i = 0; i < 100; i++) {
            long wait = m.beforeWait(now + 10_000); // 10 µs of work
            assertTrue(wait <= MS, "never waits past the heartbeat: " + wait);
            now += 10_000 + wait;
            m.afterWait(now);
        }
        Histogram lag = m.lag();
        assertEquals(100, lag.getTotalCount(), "one heartbeat a millisecond");
        assertEquals(0, lag.getMaxValue());
        assertEquals(10, m.busy().getMaxValue(), "work per iteration, µs");
    }

    /** A loop that could not run (its thread waited for a core, its JVM paused) shows the stall as lag. */
    @Test
    void seesAnInjectedStallAsLagAndItsWorkAsBusy() {
        LoopLagMeter m = new LoopLagMeter(0);
        m.afterWait(MS); // on time; the next heartbeat is due at 2 ms
        m.beforeWait(81 * MS); // an iteration that worked 80 ms
        m.afterWait(81 * MS + 200_000); // then 200 µs in the selector: 79.2 ms late; next due at 82.2 ms
        m.beforeWait(82 * MS);
        m.afterWait(130 * MS); // a wake-up 47.8 ms after the heartbeat: not running, yet not busy
        Histogram lag = m.lag();
        assertEquals(3, lag.getTotalCount());
        assertEquals(1, lag.getCountBetweenValues(79_100, 79_300), "the long iteration delayed the heartbeat");
        assertEquals(1, lag.getCountBetweenValues(47_700, 47_900), "the late wake-up");
        Histogram busy = m.busy();
        assertTrue(busy.getMaxValue() >= 79_900 && busy.getCountBetweenValues(0, 1_000) == 1,
                "one long iteration, one short: max µs " + busy.getMaxValue());
        assertEquals(0, m.lag().getTotalCount(), "an interval resets");
    }

    /** The same on a real thread: a 50 ms sleep injected into one iteration of a selector-like loop. */
    @Test
    void measuresARealLoopWithAnInjectedDelay() throws Exception {
        AtomicInteger iterations = new AtomicInteger();
        LoopLagMeter m = new LoopLagMeter(System.nanoTime());
        Thread loop = Thread.ofPlatform().start(() -> {
            try {
                while (iterations.incrementAndGet() < 200) {
                    long wait = m.beforeWait(System.nanoTime());
                    Thread.sleep(LoopLagMeter.selectMillis(wait)); // what select(timeout) does when nothing happens
                    m.afterWait(System.nanoTime());
                    if (iterations.get() == 100) {
                        Thread.sleep(50);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.join(10_000);
        Histogram lag = m.lag();
        assertTrue(lag.getMaxValue() >= 49_000, "the injected 50 ms: " + lag.getMaxValue() + " µs");
        assertTrue(lag.getValueAtPercentile(50) < 5_000, "the rest is the selector's resolution: "
                + lag.getValueAtPercentile(50) + " µs");
    }

    @Test
    void selectTimeoutsAreWholeMillisecondsRoundedUpNeverZero() {
        assertEquals(1, LoopLagMeter.selectMillis(0));
        assertEquals(1, LoopLagMeter.selectMillis(1));
        assertEquals(1, LoopLagMeter.selectMillis(MS));
        assertEquals(2, LoopLagMeter.selectMillis(MS + 1));
    }
}
