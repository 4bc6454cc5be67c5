package dev.warden.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: request {@code i} is due at {@code start + i / rate}, whatever happened to request
 * {@code i - 1}. A scheduler thread releases requests as they fall due; a fixed set of workers, one keep-alive
 * connection each, sends them. Latency is recorded from the intended start, not from when a worker got round to it,
 * which is the coordinated-omission correction: a target that stalls for 100 ms shows ~100 ms of latency on every
 * request that fell due during the stall, as the users behind it would see.
 *
 * <p>When the run's time is up, workers finish what they have; requests still unsent after the drain period are
 * errors ({@code unsent}) and their latency is recorded as at least the time they had already waited.
 */
public final class LoadGenerator {

    /** A slice of a long run, for soak reports. Histograms in microseconds. */
    public record Interval(double seconds, long ok, long errors, Histogram latency) {
    }

    /** Receives intervals while a run is in progress (soak mode). */
    public interface IntervalListener {
        void onInterval(Interval interval);
    }

    private final LoadSpec spec;
    private final byte[] request;
    private final Recorder latency = new Recorder(3);
    private final Recorder ttft = new Recorder(3);
    private final Recorder overhead = new Recorder(3);
    private final LongAdder ok = new LongAdder();
    private final LongAdder intervalOk = new LongAdder();
    private final LongAdder intervalErrors = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong lastEnd = new AtomicLong();
    private final Semaphore due = new Semaphore(0);
    private final AtomicLong completed = new AtomicLong();
    private volatile boolean stopped;

    private LoadGenerator(LoadSpec spec) {
        this.spec = spec;
        this.request = spec.requestBytes();
    }

    public static LoadResult run(LoadSpec spec) throws InterruptedException {
        return new LoadGenerator(spec).execute(null, Duration.ZERO);
    }

    public static LoadResult run(LoadSpec spec, Duration every, IntervalListener listener) throws InterruptedException {
        return new LoadGenerator(spec).execute(listener, every);
    }

    private LoadResult execute(IntervalListener listener, Duration every) throws InterruptedException {
        long period = 1_000_000_000L / spec.rate();
        long total = Math.max(1, spec.duration().toNanos() / period);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long drainDeadline = start + spec.duration().toNanos() + spec.drain().toNanos();
        lastEnd.set(start);

        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < spec.connections(); i++) {
            workers.add(Thread.ofPlatform().daemon().name("load-" + i)
                    .start(() -> work(start, period, total, drainDeadline)));
        }
        Thread scheduler = Thread.ofPlatform().daemon().name("load-scheduler").start(() -> schedule(start, period, total));

        Histogram totalLatency = new Histogram(3);
        long nextReport = start + every.toNanos();
        long lastReport = start;
        // Wait for every scheduled request to complete, or for the drain deadline; then wake the idle workers.
        while (completed.get() < total && System.nanoTime() < drainDeadline) {
            Thread.sleep(10);
            long now = System.nanoTime();
            if (listener != null && now >= nextReport) {
                Histogram slice = latency.getIntervalHistogram();
                totalLatency.add(slice);
                listener.onInterval(new Interval((now - lastReport) / 1e9, intervalOk.sumThenReset(),
                        intervalErrors.sumThenReset(), slice));
                lastReport = now;
                nextReport = now + every.toNanos();
            }
        }
        stopped = true;
        due.release(workers.size());
        for (Thread worker : workers) {
            worker.join(spec.timeout().toMillis() + 1000);
        }
        scheduler.interrupt();
        scheduler.join();

        long unsent = total - claimed.get();
        if (unsent > 0) {
            // Never sent within the run: count them, and let them weigh on the tail with the wait they already had.
            errors.computeIfAbsent("unsent", k -> new LongAdder()).add(unsent);
            for (long i = claimed.get(); i < total; i++) {
                latency.recordValue(Math.max(0, (drainDeadline - (start + i * period)) / 1000));
            }
        }
        totalLatency.add(latency.getIntervalHistogram());
        Map<String, Long> errorCounts = new java.util.TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        return new LoadResult(total, ok.sum(), errorCounts, (lastEnd.get() - start) / 1e9,
                totalLatency, ttft.getIntervalHistogram(), overhead.getIntervalHistogram());
    }

    private void schedule(long start, long period, long total) {
        long released = 0;
        while (released < total && !stopped) {
            long now = System.nanoTime();
            long dueNow = now < start ? 0 : Math.min(total, (now - start) / period + 1);
            if (dueNow > released) {
                due.release((int) (dueNow - released));
                released = dueNow;
            }
            long next = start + released * period;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    return;
                }
            }
        }
    }

    private void work(long start, long period, long total, long drainDeadline) {
        HttpConnection connection = new HttpConnection(spec.address(), "x-warden-overhead-ms",
                (int) spec.timeout().toMillis());
        try {
            while (true) {
                due.acquire(); // blocks without polling: idle workers cost no CPU on a shared box
                if (stopped || System.nanoTime() > drainDeadline) {
                    return; // what is left unclaimed is counted as unsent
                }
                long intended = start + claimed.getAndIncrement() * period;
                try {
                    send(connection, intended);
                } finally {
                    completed.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connection.close();
        }
    }

    private void send(HttpConnection connection, long intended) {
        try {
            HttpConnection.Response response = connection.exchange(request);
            long end = response.endNanos();
            lastEnd.accumulateAndGet(end, Math::max);
            latency.recordValue(Math.max(0, (end - intended) / 1000));
            if (response.status() / 100 == 2) {
                ok.increment();
                intervalOk.increment();
                ttft.recordValue(Math.max(0, (response.firstDataNanos() - intended) / 1000));
                if (!Double.isNaN(response.overheadMs())) {
                    overhead.recordValue(Math.max(0, Math.round(response.overheadMs() * 1000)));
                }
            } else {
                error("http-" + response.status());
            }
        } catch (SocketTimeoutException e) {
            latency.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
            error("timeout");
        } catch (IOException | RuntimeException e) {
            latency.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
            error("io-" + e.getClass().getSimpleName());
        }
    }

    private void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        intervalErrors.increment();
    }
}
