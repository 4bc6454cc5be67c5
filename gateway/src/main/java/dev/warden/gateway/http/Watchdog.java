package dev.warden.gateway.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends upstream reads that have gone quiet. Blocking reads cannot time out by themselves, so each watched stream
 * reports activity and one sweeper thread closes those idle longer than their limit; the blocked read then fails
 * and the stream is ended properly in the caller's protocol.
 */
public final class Watchdog implements AutoCloseable {
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "warden-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    public Watchdog() {
        sweeper.scheduleWithFixedDelay(this::sweep, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** Starts watching; {@code onIdle} runs (once) on the sweeper thread if no activity is seen for {@code idleNanos}. */
    public Watch watch(long idleNanos, Runnable onIdle) {
        Watch watch = new Watch(idleNanos, onIdle);
        watches.add(watch);
        return watch;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Watch watch : watches) {
            if (now - watch.lastActivity > watch.idleNanos) {
                watches.remove(watch);
                watch.expired = true;
                try {
                    watch.onIdle.run();
                } catch (RuntimeException ignored) {
                    // closing an already-broken stream may throw; the reader sees the failure either way
                }
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /** A watched read; call {@link #touch()} on activity and {@link #stop()} when done. */
    public final class Watch {
        private final long idleNanos;
        private final Runnable onIdle;
        private volatile long lastActivity = System.nanoTime();
        private volatile boolean expired;

        private Watch(long idleNanos, Runnable onIdle) {
            this.idleNanos = idleNanos;
            this.onIdle = onIdle;
        }

        public void touch() {
            lastActivity = System.nanoTime();
        }

        public boolean expired() {
            return expired;
        }

        public void stop() {
            watches.remove(this);
        }
    }
}
