package dev.warden.bench.load;

import dev.warden.bench.lag.LoopLagMeter;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * What a run records, shared by both engines so that they record exactly the same things the same way: latency from
 * the intended start (HdrHistogram, microseconds, 3 significant digits), TTFT, the {@code x-warden-overhead-ms}
 * header, ok and errors by kind, and the end of the last response (for the achieved rate). Also the generator's own
 * lateness: how long after its intended start each request was written, apart from waiting for a free connection
 * ({@link #sent}), and its event loops' lag
 * ({@link LoopLagMeter}). Safe for any number of recording threads; slices are read by the
 * thread that runs the generator, one per second.
 *
 * <p>With a lead-in ({@link LoadSpec#leadIn()}) nothing is recorded for requests due before {@code measureFrom}: the
 * measured window, its seconds and its achieved rate all start there.
 */
final class Recording {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final Recorder latency = new Recorder(3);
    private final Recorder ttft = new Recorder(3);
    private final Recorder overhead = new Recorder(3);
    private final Recorder sendLag = new Recorder(3);
    private final Recorder connWait = new Recorder(3);
    private final LongAdder ok = new LongAdder();
    private final LongAdder sliceOk = new LongAdder();
    private final LongAdder sliceErrors = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLong lastEnd = new AtomicLong();
    private final Histogram totalLatency = new Histogram(3);
    private final Histogram totalSendLag = new Histogram(3);
    private final Histogram totalConnWait = new Histogram(3);
    private final Histogram totalLoopLag = new Histogram(3);
    private final List<LoopLagMeter> loops = new ArrayList<>();
    private final LongAdder unsent = new LongAdder();
    /** Requests due before this (the lead-in) are not recorded. */
    private final long measureFrom;

    // The soak interval being accumulated from one-second slices (the generator's thread only).
    private final Histogram intervalLatency = new Histogram(3);
    private final Histogram intervalSendLag = new Histogram(3);
    private final Histogram intervalConnWait = new Histogram(3);
    private final Histogram intervalLoopLag = new Histogram(3);
    private long intervalOk;
    private long intervalErrors;
    private long intervalStart;
    /** Where the slice still open when {@link #await} returned began, and who gets it. */
    private long lastSliceStart;
    private LoadGenerator.SecondListener lastSeconds;

    /** A run whose schedule starts at {@code start} and whose measured window starts at {@code measureFrom}. */
    Recording(long start, long measureFrom) {
        if (measureFrom < start) {
            throw new IllegalArgumentException("measureFrom before start");
        }
        this.measureFrom = measureFrom;
        lastEnd.set(measureFrom);
        intervalStart = measureFrom;
        lastSliceStart = measureFrom;
    }

    private boolean leadIn(long intended) {
        return intended < measureFrom;
    }

    /** An event loop of the generator whose lag is part of the run's (before the run starts). */
    void loop(LoopLagMeter meter) {
        loops.add(meter);
    }

    /**
     * A request has been written (handed to the kernel) at {@code nowNanos}, {@code connWaitNanos} of its wait spent
     * with every connection busy (a slow target's doing); the rest is the generator's own lateness.
     */
    void sent(long intended, long connWaitNanos, long nowNanos) {
        if (leadIn(intended)) {
            return;
        }
        sendLag.recordValue(Math.max(0, (nowNanos - intended - connWaitNanos) / 1000));
        connWait.recordValue(Math.max(0, connWaitNanos / 1000));
    }

    /** A complete response; times are {@link System#nanoTime()} values. */
    void response(long intended, int status, long firstDataNanos, long endNanos, double overheadMs) {
        if (leadIn(intended)) {
            return;
        }
        lastEnd.accumulateAndGet(endNanos, Math::max);
        latency.recordValue(Math.max(0, (endNanos - intended) / 1000));
        if (status / 100 == 2) {
            ok.increment();
            sliceOk.increment();
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
        if (leadIn(intended)) {
            return;
        }
        latency.recordValue(Math.max(0, (nowNanos - intended) / 1000));
        error(kind);
    }

    /**
     * A request never sent within the run: an error ({@code unsent}) that weighs on the tail with the wait it already
     * had.
     */
    void unsent(long intended, long drainDeadline) {
        if (leadIn(intended)) {
            return;
        }
        latency.recordValue(Math.max(0, (drainDeadline - intended) / 1000));
        unsent.increment();
    }

    private void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        sliceErrors.increment();
    }

    static String kind(Throwable e) {
        return e instanceof java.net.SocketTimeoutException ? "timeout" : "io-" + e.getClass().getSimpleName();
    }

    /**
     * Waits until {@code finished} or the drain deadline. Every second from the start it cuts a slice: handed to
     * {@code seconds} (if any), added to the totals and to the interval that goes to {@code listener} every
     * {@code every} (if any).
     */
    void await(BooleanSupplier finished, long drainDeadline, Duration every, LoadGenerator.IntervalListener listener,
               LoadGenerator.SecondListener seconds, Runnable atMeasureStart) throws InterruptedException {
        long sliceStart = measureFrom;
        long everyNanos = Math.max(SECOND, every.toNanos());
        boolean measuring = false;
        while (!finished.getAsBoolean() && System.nanoTime() < drainDeadline) {
            long untilMeasuring = measureFrom - System.nanoTime();
            if (!measuring && untilMeasuring > 0) {
                TimeUnit.NANOSECONDS.sleep(Math.min(untilMeasuring, TimeUnit.MILLISECONDS.toNanos(10)));
                continue;
            }
            if (!measuring) {
                measuring = true;
                for (LoopLagMeter m : loops) {
                    m.lag(); // the lead-in's lag is not the measured window's
                }
                atMeasureStart.run();
            }
            Thread.sleep(10);
            long now = System.nanoTime();
            if (now >= sliceStart + SECOND) {
                slice(sliceStart, now, seconds);
                sliceStart = now;
                if (listener != null && now - intervalStart >= everyNanos - SECOND / 2) {
                    listener.onInterval(new LoadGenerator.Interval((now - intervalStart) / 1e9, intervalOk,
                            intervalErrors, intervalLatency.copy(), intervalSendLag.copy(), intervalConnWait.copy(),
                            intervalLoopLag.copy()));
                    intervalLatency.reset();
                    intervalSendLag.reset();
                    intervalConnWait.reset();
                    intervalLoopLag.reset();
                    intervalOk = 0;
                    intervalErrors = 0;
                    intervalStart = now;
                }
            }
        }
        lastSliceStart = sliceStart;
        lastSeconds = seconds;
    }

    private void slice(long sliceStart, long now, LoadGenerator.SecondListener seconds) {
        Histogram lat = latency.getIntervalHistogram();
        Histogram lag = sendLag.getIntervalHistogram();
        Histogram wait = connWait.getIntervalHistogram();
        Histogram loopLag = new Histogram(3);
        for (LoopLagMeter m : loops) {
            loopLag.add(m.lag());
        }
        long okCount = sliceOk.sumThenReset();
        long errorCount = sliceErrors.sumThenReset();
        totalLatency.add(lat);
        totalSendLag.add(lag);
        totalConnWait.add(wait);
        totalLoopLag.add(loopLag);
        intervalLatency.add(lat);
        intervalSendLag.add(lag);
        intervalConnWait.add(wait);
        intervalLoopLag.add(loopLag);
        intervalOk += okCount;
        intervalErrors += errorCount;
        if (seconds != null) {
            long wallStart = System.currentTimeMillis() - (System.nanoTime() - sliceStart) / 1_000_000;
            seconds.onSecond(new LoadGenerator.Second(wallStart, (sliceStart - measureFrom) / 1e9,
                    (now - sliceStart) / 1e9, okCount, errorCount, lat, lag, wait, loopLag));
        }
    }

    LoadResult result(long intended) {
        // The last, partial slice (the drain, and the unsent requests recorded after it) goes to the totals too.
        slice(lastSliceStart, System.nanoTime(), lastSeconds);
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        if (unsent.sum() > 0) {
            errorCounts.put("unsent", unsent.sum());
        }
        return new LoadResult(intended, ok.sum(), errorCounts, (lastEnd.get() - measureFrom) / 1e9,
                totalLatency, ttft.getIntervalHistogram(), overhead.getIntervalHistogram(), totalSendLag, totalConnWait,
                totalLoopLag);
    }
}
