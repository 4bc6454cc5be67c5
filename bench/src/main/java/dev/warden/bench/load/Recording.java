package dev.warden.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * What a run records, shared by both engines so that they record exactly the same things the same way: latency from
 * the intended start (HdrHistogram, microseconds, 3 significant digits), TTFT, the {@code x-warden-overhead-ms}
 * header, ok and errors by kind, and the end of the last response (for the achieved rate). Safe for any number of
 * recording threads; intervals are read by the thread that runs the generator.
 */
final class Recording {
    private final Recorder latency = new Recorder(3);
    private final Recorder ttft = new Recorder(3);
    private final Recorder overhead = new Recorder(3);
    private final LongAdder ok = new LongAdder();
    private final LongAdder intervalOk = new LongAdder();
    private final LongAdder intervalErrors = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLong lastEnd = new AtomicLong();
    private final Histogram totalLatency = new Histogram(3);
    private final long start;

    Recording(long start) {
        this.start = start;
        lastEnd.set(start);
    }

    /** A complete response; times are {@link System#nanoTime()} values. */
    void response(long intended, int status, long firstDataNanos, long endNanos, double overheadMs) {
        lastEnd.accumulateAndGet(endNanos, Math::max);
        latency.recordValue(Math.max(0, (endNanos - intended) / 1000));
        if (status / 100 == 2) {
            ok.increment();
            intervalOk.increment();
            ttft.recordValue(Math.max(0, (firstDataNanos - intended) / 1000));
            if (!Double.isNaN(overheadMs)) {
                overhead.recordValue(Math.max(0, Math.round(overheadMs * 1000)));
            }
        } else {
            error("http-" + status);
        }
    }

    /** A request that failed ({@code timeout}, {@code io-*}): its latency is the time it had taken so far. */
    void failure(long intended, long nowNanos, String kind) {
        latency.recordValue(Math.max(0, (nowNanos - intended) / 1000));
        error(kind);
    }

    /** A request never sent within the run: an error that weighs on the tail with the wait it already had. */
    void unsent(long intended, long drainDeadline) {
        latency.recordValue(Math.max(0, (drainDeadline - intended) / 1000));
    }

    void unsentCount(long n) {
        if (n > 0) {
            errors.computeIfAbsent("unsent", k -> new LongAdder()).add(n);
        }
    }

    private void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        intervalErrors.increment();
    }

    static String kind(Throwable e) {
        return e instanceof java.net.SocketTimeoutException ? "timeout" : "io-" + e.getClass().getSimpleName();
    }

    /**
     * Waits until {@code finished} or the drain deadline, handing {@code listener} an interval every {@code every}
     * (when there is a listener).
     */
    void await(BooleanSupplier finished, long drainDeadline, Duration every, LoadGenerator.IntervalListener listener)
            throws InterruptedException {
        long nextReport = start + every.toNanos();
        long lastReport = start;
        while (!finished.getAsBoolean() && System.nanoTime() < drainDeadline) {
            Thread.sleep(10);
            long now = System.nanoTime();
            if (listener != null && now >= nextReport) {
                Histogram slice = latency.getIntervalHistogram();
                totalLatency.add(slice);
                listener.onInterval(new LoadGenerator.Interval((now - lastReport) / 1e9, intervalOk.sumThenReset(),
                        intervalErrors.sumThenReset(), slice));
                lastReport = now;
                nextReport = now + every.toNanos();
            }
        }
    }

    LoadResult result(long intended) {
        totalLatency.add(latency.getIntervalHistogram());
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        return new LoadResult(intended, ok.sum(), errorCounts, (lastEnd.get() - start) / 1e9,
                totalLatency, ttft.getIntervalHistogram(), overhead.getIntervalHistogram());
    }
}
