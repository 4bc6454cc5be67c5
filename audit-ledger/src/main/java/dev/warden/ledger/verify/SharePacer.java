package dev.warden.ledger.verify;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * {@link Pacer#cpuShare}: bursts of work of {@value #BURST_MILLIS} ms, each followed by a proportional sleep. Work is
 * read from {@code clock}: the thread's CPU time ({@link #threadCpuClock()}), or in tests a hand-driven one.
 */
final class SharePacer implements Pacer {
  /**
   * Short bursts, so that a request sharing the core waits at most about this long behind the verifier; the
   * scheduler's own time slices are a few milliseconds.
   */
  static final int BURST_MILLIS = 2;
  private static final long BURST_NANOS = BURST_MILLIS * 1_000_000L;
  /** Entries between two readings of the clock: a few hundred microseconds of work at full speed. */
  private static final int CHECK_EVERY = 16;

  /** Sleeps for a number of nanoseconds. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final double share;
  private final LongSupplier clock;
  private final Sleeper sleeper;
  private long burstStart; // -1: no reading yet
  private int entries;

  SharePacer(double share, LongSupplier clock, Sleeper sleeper) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("cpuShare: " + share + " (expected: (0, 1])");
    }
    this.share = share;
    this.clock = clock;
    this.sleeper = sleeper;
    this.burstStart = -1;
  }

  @Override
  public void entry() throws InterruptedException {
    if (share >= 1 || ++entries % CHECK_EVERY != 0) {
      return;
    }
    long now = clock.getAsLong();
    if (burstStart < 0 || now < burstStart) {
      // The first reading, or a thread CPU clock read on another thread than before: a burst starts here.
      burstStart = now;
      return;
    }
    long worked = now - burstStart;
    if (worked < BURST_NANOS) {
      return;
    }
    sleeper.sleep((long) (worked * (1 - share) / share));
    burstStart = clock.getAsLong();
  }

  /** The calling thread's CPU time in nanoseconds, or {@link System#nanoTime()} where the JVM cannot measure it. */
  static LongSupplier threadCpuClock() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (threads.isCurrentThreadCpuTimeSupported()) {
      if (!threads.isThreadCpuTimeEnabled()) {
        threads.setThreadCpuTimeEnabled(true);
      }
      return threads::getCurrentThreadCpuTime;
    }
    return System::nanoTime;
  }

  static void sleep(long nanos) throws InterruptedException {
    Thread.sleep(Duration.ofNanos(nanos));
  }
}
