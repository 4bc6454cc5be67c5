package dev.warden.bench.lag;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/**
 * What an unrelated thread suffers, as jHiccup measures it: a daemon thread sleeps {@link #PERIOD_NANOS} at a time and
 * records by how much each sleep overran (µs). It does no work, so its oversleep is time it could not run: the
 * machine's scheduling delay under the current load, plus any pause of this JVM (GC, safepoints), which stops it too.
 * A stall that shows here as well as in a latency was not the target's doing alone.
 */
public final class HiccupMeter implements AutoCloseable {
    public static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** How the meter sleeps; a test injects a late wake-up here. */
    interface Sleep {
        void sleep(long nanos) throws InterruptedException;
    }

    private final Recorder oversleep = new Recorder(3);
    private final Thread thread;
    private final Sleep sleep;
    private volatile boolean closed;

    private HiccupMeter(Sleep sleep) {
        this.sleep = sleep;
        this.thread = Thread.ofPlatform().daemon().name("hiccup-meter").unstarted(this::run);
    }

    public static HiccupMeter start() {
        return start(TimeUnit.NANOSECONDS::sleep);
    }

    static HiccupMeter start(Sleep sleep) {
        HiccupMeter m = new HiccupMeter(sleep);
        m.thread.start();
        return m;
    }

    private void run() {
        while (!closed) {
            long before = System.nanoTime();
            try {
                sleep.sleep(PERIOD_NANOS);
            } catch (InterruptedException e) {
                return;
            }
            oversleep.recordValue(Math.max(0, (System.nanoTime() - before - PERIOD_NANOS) / 1000));
        }
    }

    /** Oversleep since the last call (or since start), µs. */
    public Histogram interval() {
        return oversleep.getIntervalHistogram();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
