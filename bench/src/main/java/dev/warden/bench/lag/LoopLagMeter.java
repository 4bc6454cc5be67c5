package dev.warden.bench.lag;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;

/**
 * How late an event loop is, measured from inside it, as Node's {@code monitorEventLoopDelay} does: the loop keeps a
 * heartbeat due every {@link #PERIOD_NANOS} and never waits in its selector past it; whenever it wakes at or after
 * the heartbeat, the lateness is recorded ({@link #lag}). Anything that keeps the loop from running (a long
 * iteration, the thread waiting for a core, a GC or safepoint pause of its JVM) shows as lag, and a socket that
 * became ready at the heartbeat waited as long. Each iteration's work, from waking to waiting again, is recorded too
 * ({@link #busy}): large busy times say the loop itself was slow, large lag with small busy says it was not running.
 *
 * <p>Resolution: {@link java.nio.channels.Selector#select(long)} waits in whole milliseconds, so an idle loop wakes
 * up to ~1 ms after its heartbeat; lag under ~1.2 ms is the selector, not a stall.
 *
 * <p>Use from the loop thread only: {@link #beforeWait} just before blocking, {@link #afterWait} right after. The
 * interval histograms may be read from any thread. Values in microseconds.
 */
public final class LoopLagMeter {
    public static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final SingleWriterRecorder lag = new SingleWriterRecorder(3);
    private final SingleWriterRecorder busy = new SingleWriterRecorder(3);
    private long due;
    private long woke;

    public LoopLagMeter(long nowNanos) {
        this.due = nowNanos + PERIOD_NANOS;
        this.woke = nowNanos;
    }

    /** The loop is about to wait: records this iteration's work; returns how long it may wait at most (ns, ≥ 0). */
    public long beforeWait(long nowNanos) {
        busy.recordValue(Math.max(0, (nowNanos - woke) / 1000));
        return Math.max(0, due - nowNanos);
    }

    /** The loop woke up (events, timer or heartbeat): records the heartbeat's lateness once it has fallen due. */
    public void afterWait(long nowNanos) {
        woke = nowNanos;
        if (nowNanos >= due) {
            lag.recordValue((nowNanos - due) / 1000);
            due = nowNanos + PERIOD_NANOS;
        }
    }

    /** Selector timeout in ms for a wait of {@code nanos} (≥ 1: 0 would mean forever), rounded up. */
    public static long selectMillis(long nanos) {
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    /** Heartbeat lateness since the last call, µs. */
    public Histogram lag() {
        return lag.getIntervalHistogram();
    }

    /** Iteration work times since the last call, µs. */
    public Histogram busy() {
        return busy.getIntervalHistogram();
    }
}
