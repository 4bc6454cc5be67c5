package dev.warden.bench.load;

import org.HdrHistogram.Histogram;

import java.time.Duration;

/**
 * An open-loop load generator: request {@code i} is due at {@code start + i / rate}, whatever happened to request
 * {@code i - 1}. It is sent on the first idle keep-alive connection when it falls due; if none is idle it waits, and
 * its latency is still recorded from the intended start, not from when a connection got round to it. That is the
 * coordinated-omission correction: a target that stalls for 100 ms shows ~100 ms of latency on every request that fell
 * due during the stall, as the users behind it would see.
 *
 * <p>When the run's time is up, in-flight requests finish; requests still unsent after the drain period are errors
 * ({@code unsent}) and their latency is recorded as at least the time they had already waited.
 *
 * <p>Two engines with the same semantics and the same recording ({@link LoadSpec#engine()}): {@link NioLoadGenerator}
 * (the default, event loops) and {@link ThreadedLoadGenerator} (the original, one blocking worker per connection).
 */
public final class LoadGenerator {

    /**
     * A slice of a long run, for soak reports. Histograms in microseconds; {@code sendLag}, {@code connWait} and {@code loopLag} as in
     * {@link LoadResult}.
     */
    public record Interval(double seconds, long ok, long errors, Histogram latency, Histogram sendLag,
                           Histogram connWait, Histogram loopLag) {
    }

    /** Receives intervals while a run is in progress (soak mode). */
    public interface IntervalListener {
        void onInterval(Interval interval);
    }

    /**
     * One second of a run, for a timeline. Responses belong to the second in which they completed (the latency of a
     * request that waited through a stall shows in the second the stall ended).
     *
     * @param startEpochMillis wall-clock start of the second (UTC, ms), to match against other processes' logs
     * @param offsetSeconds    start of the second, from the run's start
     * @param seconds          its length (about 1; the last one of a run is the drain, shorter or longer)
     */
    public record Second(long startEpochMillis, double offsetSeconds, double seconds, long ok, long errors,
                         Histogram latency, Histogram sendLag, Histogram connWait, Histogram loopLag) {
    }

    /** Receives every second of a run while it is in progress, on the thread that called {@code run}. */
    public interface SecondListener {
        void onSecond(Second second);
    }

    private LoadGenerator() {
    }

    public static LoadResult run(LoadSpec spec) throws InterruptedException {
        return run(spec, Duration.ZERO, null);
    }

    public static LoadResult run(LoadSpec spec, Duration every, IntervalListener listener) throws InterruptedException {
        return run(spec, every, listener, null);
    }

    /** As {@link #run(LoadSpec, Duration, IntervalListener)}, and every second to {@code seconds} (may be null). */
    public static LoadResult run(LoadSpec spec, Duration every, IntervalListener listener, SecondListener seconds)
            throws InterruptedException {
        return run(spec, every, listener, seconds, () -> { });
    }

    /**
     * As {@link #run(LoadSpec, Duration, IntervalListener, SecondListener)}; {@code atMeasureStart} runs on the calling
     * thread when the measured window starts (after the {@linkplain LoadSpec#leadIn() lead-in}), for readings that
     * must cover that window only (CPU time, a gateway's own counters).
     */
    public static LoadResult run(LoadSpec spec, Duration every, IntervalListener listener, SecondListener seconds,
                                 Runnable atMeasureStart) throws InterruptedException {
        return switch (spec.engine()) {
            case NIO -> new NioLoadGenerator(spec).execute(listener, every, seconds, atMeasureStart);
            case THREADS -> new ThreadedLoadGenerator(spec).execute(listener, every, seconds, atMeasureStart);
        };
    }
}
