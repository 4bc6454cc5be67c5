package dev.warden.bench.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The original engine ({@code --engine threads}), kept to measure what the NIO engine saves: a scheduler thread
 * releases requests as they fall due, a fixed set of platform worker threads, one blocking keep-alive
 * {@link HttpConnection} each, sends them. Every request costs a hand-off (scheduler to worker) and the worker's wake-up
 * on its response; on a 2-core box shared with the target that is ~60 µs of CPU a request.
 *
 * <p>When the run's time is up, workers finish what they have; requests still unsent after the drain period are
 * errors ({@code unsent}).
 */
final class ThreadedLoadGenerator {

    private final LoadSpec spec;
    private final byte[] request;
    private final AtomicLong claimed = new AtomicLong();
    private final Semaphore due = new Semaphore(0);
    private final AtomicLong completed = new AtomicLong();
    private volatile boolean stopped;
    private Recording recording;

    ThreadedLoadGenerator(LoadSpec spec) {
        this.spec = spec;
        this.request = spec.requestBytes();
    }

    LoadResult execute(LoadGenerator.IntervalListener listener, Duration every, LoadGenerator.SecondListener seconds,
                       Runnable atMeasureStart) throws InterruptedException {
        long period = 1_000_000_000L / spec.rate();
        long leadIn = spec.leadInRequests(period);
        long total = leadIn + Math.max(1, spec.duration().toNanos() / period);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long measureFrom = start + leadIn * period;
        long drainDeadline = measureFrom + spec.duration().toNanos() + spec.drain().toNanos();
        recording = new Recording(start, measureFrom);

        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < spec.connections(); i++) {
            workers.add(Thread.ofPlatform().daemon().name("load-" + i)
                    .start(() -> work(start, period, drainDeadline)));
        }
        Thread scheduler = Thread.ofPlatform().daemon().name("load-scheduler").start(() -> schedule(start, period, total));

        // Wait for every scheduled request to complete, or for the drain deadline; then wake the idle workers.
        recording.await(() -> completed.get() >= total, drainDeadline, every, listener, seconds, atMeasureStart);
        stopped = true;
        due.release(workers.size());
        for (Thread worker : workers) {
            worker.join(spec.timeout().toMillis() + 1000);
        }
        scheduler.interrupt();
        scheduler.join();

        // Never sent within the run: counted, and weighing on the tail with the wait they already had.
        for (long i = claimed.get(); i < total; i++) {
            recording.unsent(start + i * period, drainDeadline);
        }
        return recording.result(total - leadIn);
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

    private void work(long start, long period, long drainDeadline) {
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
            // Taken when a worker starts on the request: the write follows at once (or after a reconnect). Whether
            // it waited for a free worker is not known here, so all of it counts as send lag.
            recording.sent(intended, 0, System.nanoTime());
            HttpConnection.Response response = connection.exchange(request);
            recording.response(intended, response.status(), response.firstDataNanos(), response.endNanos(),
                    response.overheadMs());
        } catch (IOException | RuntimeException e) {
            recording.failure(intended, System.nanoTime(), Recording.kind(e));
        }
    }
}
