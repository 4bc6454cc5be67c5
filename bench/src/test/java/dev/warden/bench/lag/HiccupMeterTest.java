package dev.warden.bench.lag;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

class HiccupMeterTest {

    @Test
    void recordsAboutOneSampleAMillisecond() throws Exception {
        try (HiccupMeter m = HiccupMeter.start()) {
            m.interval();
            Thread.sleep(300);
            Histogram h = m.interval();
            // Each sleep of 1 ms takes a little longer (timer slack); a loaded CI box makes it fewer, never more.
            assertTrue(h.getTotalCount() >= 50 && h.getTotalCount() <= 300, "samples: " + h.getTotalCount());
        }
    }

    /** A thread that could not run for 40 ms (the machine, or a pause of this JVM) is one 40 ms oversleep. */
    @Test
    void recordsAnInjectedLateWakeUp() throws Exception {
        AtomicInteger sleeps = new AtomicInteger();
        try (HiccupMeter m = HiccupMeter.start(nanos -> {
            TimeUnit.NANOSECONDS.sleep(nanos);
            if (sleeps.incrementAndGet() == 20) {
                Thread.sleep(40);
            }
        })) {
            Thread.sleep(200);
            Histogram h = m.interval();
            assertTrue(h.getMaxValue() >= 39_000, "max oversleep µs: " + h.getMaxValue());
            assertTrue(h.getValueAtPercentile(50) < 5_000, "p50 µs: " + h.getValueAtPercentile(50));
        }
    }
}
