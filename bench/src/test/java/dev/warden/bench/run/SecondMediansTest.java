package dev.warden.bench.run;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SecondMediansTest {

    /** One second whose requests all took {@code micros}, and {@code slow} of them {@code slowMicros} instead. */
    private static Histogram second(long micros, int slow, long slowMicros) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        h.recordValueWithCount(micros, 1000 - slow);
        if (slow > 0) {
            h.recordValueWithCount(slowMicros, slow);
        }
        return h;
    }

    @Test
    void oneStalledSecondDoesNotMoveTheMedianSecond() {
        SecondMedians m = new SecondMedians();
        m.add(second(200, 20, 2_000));    // p50 0.2 ms, p99 2 ms
        m.add(second(300, 20, 3_000));    // p50 0.3 ms, p99 3 ms
        m.add(second(250, 600, 900_000)); // a stall: p50 900 ms, p99 900 ms
        assertEquals(0.3, m.medianP50(), 0.001);
        assertEquals(3.0, m.medianP99(), 0.01);
        assertEquals("0.300 / 3.001", m.toString());
    }

    @Test
    void anEvenNumberOfSecondsTakesTheMeanOfTheMiddleTwoAndEmptySecondsDoNotCount() {
        SecondMedians m = new SecondMedians();
        m.add(second(100, 0, 0));
        m.add(new Histogram(3_600_000_000L, 3)); // nothing completed in this second
        m.add(second(300, 0, 0));
        assertEquals(0.2, m.medianP50(), 0.001);
    }

    @Test
    void noSecondsIsNotAvailable() {
        assertEquals("n/a", new SecondMedians().toString());
        assertEquals(Double.NaN, new SecondMedians().medianP99());
    }
}
