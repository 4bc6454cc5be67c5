package dev.warden.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharePacerTest {
  /** A clock that work advances by hand and sleeps advance by what they slept. */
  private long now = 1_000_000_000L;
  private final List<Long> sleeps = new ArrayList<>();

  private SharePacer pacer(double share) {
    return new SharePacer(share, () -> now, nanos -> {
      sleeps.add(nanos);
      now += nanos;
    });
  }

  /** Entries that each take {@code nanos} of work; returns the work done. */
  private long work(SharePacer pacer, int entries, long nanos) throws InterruptedException {
    long worked = 0;
    for (int i = 0; i < entries; i++) {
      pacer.entry();
      now += nanos;
      worked += nanos;
    }
    return worked;
  }

  @Test
  void keepsWorkToItsShareOfTheWallTime() throws InterruptedException {
    SharePacer pacer = pacer(0.25);
    long start = now;
    long worked = work(pacer, 100_000, 20_000); // 20 µs an entry, 2 s of work

    assertThat(sleeps).isNotEmpty();
    double share = (double) worked / (now - start);
    assertThat(share).isBetween(0.24, 0.27);
  }

  @Test
  void sleepsAfterShortBurstsSoAQueuedRequestWaitsLittle() throws InterruptedException {
    SharePacer pacer = pacer(0.5);
    work(pacer, 10_000, 20_000);

    // Each sleep follows a burst of 2 ms (rounded up to the next clock reading, 16 entries of 20 µs).
    assertThat(sleeps).allSatisfy(s -> assertThat(s).isBetween(2_000_000L, 2_400_000L));
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
