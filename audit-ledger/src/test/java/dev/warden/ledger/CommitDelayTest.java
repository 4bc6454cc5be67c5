package dev.warden.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ledger.store.SegmentFileStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a batch comes out smaller than the last one, the writer waits up to {@code commitDelay} (and half the last
 * fsync) for more appends; with zero it writes the batch at once.
 */
class CommitDelayTest {
  private static final long SYNC_MILLIS = 200;

  @TempDir Path dir;

  /** A store whose fsync takes 200 ms and that lets the test know when the writer is inside one. */
  static final class SlowSyncStore extends ForwardingStore {
    volatile CountDownLatch syncing = new CountDownLatch(1);

    SlowSyncStore(Path dir) {
      super(new SegmentFileStore(dir));
    }

    @Override
    public void sync() throws IOException {
      syncing.countDown();
      try {
        Thread.sleep(SYNC_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      real.sync();
    }
  }

  /**
   * How long a lone append waits after a batch of four: the writer first takes one append and syncs it; four more
   * queue meanwhile and form the next batch; then one append alone is a batch that shrank.
   */
  private long loneAppendAfterABatchOfFour(Duration commitDelay) throws Exception {
    SlowSyncStore store = new SlowSyncStore(dir);
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).store(store).commitDelay(commitDelay)
        .checkpointInterval(Duration.ofHours(1)).checkpointEvery(1_000_000).build())) {
      store.syncing = new CountDownLatch(1);
      CompletableFuture<Appended> first = CompletableFuture.supplyAsync(() -> ledger.append(TestEntries.small(0)));
      assertThat(store.syncing.await(10, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<Appended>> four = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        int n = i;
        four.add(CompletableFuture.supplyAsync(() -> ledger.append(TestEntries.small(n))));
      }
      first.get(10, TimeUnit.SECONDS);
      for (CompletableFuture<Appended> f : four) {
        f.get(10, TimeUnit.SECONDS);
      }
      long start = System.nanoTime();
      ledger.append(TestEntries.small(5));
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
  }

  @Test
  void aShrunkBatchWaitsUpToTheCommitDelayForStragglers() throws Exception {
    // Half the last fsync is 100 ms, so the delay of 100 ms is waited in full: 100 ms + the 200 ms fsync.
    assertThat(loneAppendAfterABatchOfFour(Duration.ofMillis(100))).isGreaterThanOrEqualTo(SYNC_MILLIS + 95);
  }

  @Test
  void withZeroCommitDelayABatchIsWrittenAtOnce() throws Exception {
    assertThat(loneAppendAfterABatchOfFour(Duration.ZERO)).isLessThan(SYNC_MILLIS + 90);
  }

  @Test
  void theCommitDelayIsBounded() {
    assertThatThrownBy(() -> LedgerOptions.builder().dir(dir).commitDelay(Duration.ofMillis(101)).build())
        .hasMessage("commitDelay PT0.101S (expected: 0..100ms)");
    assertThatThrownBy(() -> LedgerOptions.builder().dir(dir).commitDelay(Duration.ofMillis(-1)).build())
        .hasMessageStartingWith("commitDelay PT-0.001S");
    assertThat(LedgerOptions.builder().dir(dir).build().commitDelay()).isEqualTo(Duration.ofMillis(2));
  }
}
