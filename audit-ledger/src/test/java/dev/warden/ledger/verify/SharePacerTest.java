package dev.warden.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharePacerTest {
  /** The thread's CPU clock, which work advances by hand; sleeping and waiting for a core leave it alone. */
  private long cpu = 1_000_000_000L;
  /** Wall time: work, waits for a core and sleeps. */
  private long wall;
  private final List<Long> sleeps = new ArrayList<>();

  private SharePacer pacer(double share) {
    return new SharePacer(share, () -> cpu, nanos -> {
      sleeps.add(nanos);
      wall += nanos;
    });
  }

  /**
   * Entries that each take {@code nanos} of CPU and, before it, {@code waitNanos} waiting for a core (a low-priority
   * thread on a busy box); returns the CPU time used.
   */
  private long work(SharePacer pacer, int entries, long nanos, long waitNanos) throws InterruptedException {
    long worked = 0;
    for (int i = 0; i < entries; i++) {
      pacer.entry();
      wall += waitNanos + nanos;
      cpu += nanos;
      worked += nanos;
    }
    return worked;
  }

  private long work(SharePacer pacer, int entries, long nanos) throws InterruptedException {
    return work(pacer, entries, nanos, 0);
  }

  @Test
  void keepsWorkToItsShareOfTheWallTime() throws InterruptedException {
    SharePacer pacer = pacer(0.25);
    long worked = work(pacer, 100_000, 20_000); // 20 µs an entry, 2 s of work

    assertThat(sleeps).isNotEmpty();
    double share = (double) worked / wall;
    assertThat(share).isBetween(0.24, 0.27);
  }

  @Test
  void timeSpentWaitingForACoreIsNotCountedAsWork() throws InterruptedException {
    SharePacer pacer = pacer(0.25);
    // Starved: each 20 µs of work waits 380 µs for a core, so the thread gets 5 % of the wall time on its own.
    long worked = work(pacer, 100_000, 20_000, 380_000);

    long slept = sleeps.stream().mapToLong(Long::longValue).sum();
    // It sleeps for the CPU it used (3 times as long, at a quarter), not for the wall time its bursts took.
    assertThat((double) slept / worked).isBetween(2.9, 3.1);
    assertThat((double) worked / wall).isBetween(0.04, 0.05);
  }

  @Test
  void aClockThatGoesBackStartsANewBurstInsteadOfSleeping() throws InterruptedException {
    SharePacer pacer = pacer(0.25);
    work(pacer, 1_000, 20_000);
    int before = sleeps.size();
    cpu -= 500_000_000L; // read on another thread: its CPU clock is its own

    work(pacer, 50, 20_000);

    assertThat(sleeps).hasSize(before);
  }

  @Test
  void sleepsAfterShortBurstsSoAQueuedRequestWaitsLittle() throws InterruptedException {
    SharePacer pacer = pacer(0.5);
    work(pacer, 10_000, 20_000);

    // Each sleep follows a burst of 2 ms (rounded up to the next clock reading, 16 entries of 20 µs).
    assertThat(sleeps).allSatisfy(s -> assertThat(s).isBetween(2_000_000L, 2_400_000L));
  }

  @Test
  void theRealPacerReadsTheThreadsCpuTimeWhichSleepingDoesNotAdvance() throws InterruptedException {
    java.util.function.LongSupplier clock = SharePacer.threadCpuClock();
    long before = clock.getAsLong();
    Thread.sleep(200);
    long asleep = clock.getAsLong() - before;
    long busyUntil = System.nanoTime() + 100_000_000L;
    long spins = 0;
    while (System.nanoTime() < busyUntil) {
      spins++;
    }
    long busy = clock.getAsLong() - before - asleep;

    assertThat(asleep).as("CPU time while sleeping 200 ms").isLessThan(20_000_000L);
    assertThat(busy).as("CPU time while spinning 100 ms (" + spins + " spins)").isGreaterThan(asleep);
  }

  @Test
  void aWholeCoreNeverSleeps() throws InterruptedException {
    work(pacer(1.0), 10_000, 20_000);

    assertThat(sleeps).isEmpty();
  }

  @Test
  void rejectsSharesOutsideOneCore() {
    for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> pacer(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cpuShare: " + bad + " (expected: (0, 1])");
    }
  }
}
