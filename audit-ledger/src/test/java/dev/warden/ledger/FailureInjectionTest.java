package dev.warden.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ledger.store.SegmentFileStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store whose fsync fails makes the ledger fail closed: nothing more is acknowledged, ever. */
class FailureInjectionTest {
  @TempDir Path dir;

  /** The real segment store, except that sync() fails once told to, as a disk that lost its writes would. */
  static final class FailingSyncStore extends ForwardingStore {
    final AtomicBoolean failSync = new AtomicBoolean();
    final AtomicInteger syncCalls = new AtomicInteger();
    final AtomicInteger syncsAfterFailure = new AtomicInteger();

    FailingSyncStore(Path dir) {
      super(new SegmentFileStore(dir));
    }

    @Override
    public void sync() throws IOException {
      syncCalls.incrementAndGet();
      if (failSync.get()) {
        syncsAfterFailure.incrementAndGet();
        throw new IOException("fsync failed: EIO (injected)");
      }
      real.sync();
    }
  }

  @Test
  void failedFsyncFailsEveryPendingAndLaterAppendAndIsNotRetried() throws Exception {
    FailingSyncStore store = new FailingSyncStore(dir);
    Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).store(store).build());
    assertThat(ledger.append(TestEntries.small(0)).seq()).isZero();
    assertThat(ledger.healthy()).isTrue();

    store.failSync.set(true);
    List<CompletableFuture<Appended>> pending = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      pending.add(ledger.appendAsync(TestEntries.small(i)));
    }
    int acknowledged = 0;
    for (CompletableFuture<Appended> f : pending) {
      try {
        f.join();
        acknowledged++;
      } catch (CompletionException e) {
        assertThat(e.getCause()).isInstanceOf(LedgerUnavailableException.class)
            .hasMessageContaining("failed closed").hasRootCauseMessage("fsync failed: EIO (injected)");
      }
    }
    assertThat(acknowledged).as("appends acknowledged after the fsync failed").isZero();
    assertThat(ledger.healthy()).isFalse();
    assertThat(ledger.head().size()).isEqualTo(1);

    // Later appends fail at once, and the store is not asked to sync again.
    store.failSync.set(false);
    assertThatThrownBy(() -> ledger.append(TestEntries.small(999)))
        .isInstanceOf(LedgerUnavailableException.class).hasMessageContaining("failed closed");
    assertThat(store.syncsAfterFailure.get()).isEqualTo(1);
    ledger.close();
  }

  @Test
  void failingReplicaFailsTheLedgerClosedToo() throws Exception {
    FailingSyncStore replica = new FailingSyncStore(dir.resolve("replica"));
    Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir.resolve("primary")).replica(replica).build());
    ledger.append(TestEntries.small(0));
    replica.failSync.set(true);
    assertThatThrownBy(() -> ledger.append(TestEntries.small(1))).isInstanceOf(LedgerUnavailableException.class);
    assertThat(ledger.healthy()).isFalse();
    ledger.close();
  }

  @Test
  void relaxedDurabilityAcknowledgesBeforeFsyncButStillFailsClosed() throws Exception {
    FailingSyncStore store = new FailingSyncStore(dir);
    Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).store(store).durability(Durability.RELAXED).build());
    store.failSync.set(true);
    // Acknowledged after write(), before the failing sync: that is what RELAXED trades away.
    assertThat(ledger.append(TestEntries.small(0)).seq()).isZero();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (ledger.healthy() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(ledger.healthy()).isFalse();
    assertThatThrownBy(() -> ledger.append(TestEntries.small(1))).isInstanceOf(LedgerUnavailableException.class);
    ledger.close();
  }
}
