package dev.warden.ledger.verify;

import java.time.Duration;
import java.util.function.LongSupplier;

/** {@link Pacer#cpuShare}: bursts of work of {@value #BURST_MILLIS} ms, each followed by a proportional sleep. */
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
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long burstStart;
  private int entries;

  SharePacer(double share, LongSupplier nanoTime, Sleeper sleeper) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("cpuShare: " + share + " (expected: (0, 1])");
    }
    this.share = share;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.burstStart = nanoTime.getAsLong();
  }

  @Override
  public void entry() throws InterruptedException {
    if (share >= 1 || ++entries % CHECK_EVERY != 0) {
      return;
    }
    long worked = nanoTime.getAsLong() - burstStart;
    if (worked < BURST_NANOS) {
      return;
    }
    sleeper.sleep((long) (worked * (1 - share) / share));
    burstStart = nanoTime.getAsLong();
  }

  static void sleep(long nanos) throws InterruptedException {
    Thread.sleep(Duration.ofNanos(nanos));
  }
}
