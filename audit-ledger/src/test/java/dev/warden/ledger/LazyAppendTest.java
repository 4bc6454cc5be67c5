package dev.warden.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lazy appends (response entries nobody waits for) share the fsync of the next waited append. */
class LazyAppendTest {
  @TempDir Path dir;

  private Ledger open(FailureInjectionTest.FailingSyncStore store, Duration lazySyncDelay) {
    return Ledger.open(LedgerOptions.builder().dir(dir).store(store).lazySyncDelay(lazySyncDelay)
        .checkpointInterval(Duration.ofHours(1)).checkpointEvery(1_000_000).build());
  }

  @Test
  void lazyEntriesRideWithTheNextWaitedAppendInOneFsync() throws Exception {
    FailureInjectionTest.FailingSyncStore store = new FailureInjectionTest.FailingSyncStore(dir);
    try (Ledger ledger = open(store, Duration.ofSeconds(1))) {
      int syncsBefore = store.syncCalls.get();
      List<CompletableFuture<Appended>> lazy = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        lazy.add(ledger.appendLazily(TestEntries.small(i)));
      }
      Thread.sleep(100); // the writer has written them by now, but must not have fsync'd for them
      assertThat(store.syncCalls.get()).isEqualTo(syncsBefore);
      assertThat(lazy).noneMatch(CompletableFuture::isDone);
      assertThat(ledger.head().size()).as("head is the durable end").isZero();

      Appended waited = ledger.append(TestEntries.small(5));

      assertThat(store.syncCalls.get()).isEqualTo(syncsBefore + 1);
      assertThat(waited.seq()).isEqualTo(5);
      for (int i = 0; i < 5; i++) {
        assertThat(lazy.get(i).get(1, TimeUnit.SECONDS).seq()).isEqualTo(i);
      }
      assertThat(ledger.head().size()).isEqualTo(6);
    }
  }

  @Test
  void aLazyEntryAloneIsMadeDurableAfterTheDelay() throws Exception {
    FailureInjectionTest.FailingSyncStore store = new FailureInjectionTest.FailingSyncStore(dir);
    try (Ledger ledger = open(store, Duration.ofMillis(20))) {
      int syncsBefore = store.syncCalls.get();

      Appended appended = ledger.appendLazily(TestEntries.small(0)).get(5, TimeUnit.SECONDS);

      assertThat(appended.seq()).isZero();
      assertThat(store.syncCalls.get()).isEqualTo(syncsBefore + 1);
      assertThat(ledger.head().size()).isEqualTo(1);
    }
  }

  @Test
  void aCheckpointNeverCoversALazyEntryThatIsNotDurable() throws Exception {
    FailureInjectionTest.FailingSyncStore store = new FailureInjectionTest.FailingSyncStore(dir);
    try (Ledger ledger = open(store, Duration.ofSeconds(1))) {
      CompletableFuture<Appended> lazy = ledger.appendLazily(TestEntries.small(0));
      Thread.sleep(50);

      var checkpoint = ledger.checkpoint();

      assertThat(checkpoint.size()).isEqualTo(1);
      assertThat(lazy).isDone();
      assertThat(ledger.head().size()).isEqualTo(1);
    }
  }

  @Test
  void closeMakesPendingLazyEntriesDurable() throws Exception {
    FailureInjectionTest.FailingSyncStore store = new FailureInjectionTest.FailingSyncStore(dir);
    CompletableFuture<Appended> lazy;
    try (Ledger ledger = open(store, Duration.ofSeconds(1))) {
      ledger.append(TestEntries.small(0));
      lazy = ledger.appendLazily(TestEntries.small(1));
    }
    assertThat(lazy.get(1, TimeUnit.SECONDS).seq()).isEqualTo(1);
    try (Ledger reopened = Ledger.open(LedgerOptions.builder().dir(dir).build())) {
      assertThat(reopened.head().size()).isEqualTo(2);
    }
  }

  @Test
  void aFailedFsyncFailsThePendingLazyEntriesToo() throws Exception {
    FailureInjectionTest.FailingSyncStore store = new FailureInjectionTest.FailingSyncStore(dir);
    try (Ledger ledger = open(store, Duration.ofSeconds(1))) {
      CompletableFuture<Appended> lazy = ledger.appendLazily(TestEntries.small(0));
      Thread.sleep(50);
      store.failSync.set(true);

      assertThatThrownBy(() -> ledger.append(TestEntries.small(1))).isInstanceOf(LedgerUnavailableException.class);
      assertThatThrownBy(() -> lazy.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(LedgerUnavailableException.class);
      assertThat(ledger.healthy()).isFalse();
    }
  }

  @Test
  void withNoDelayALazyAppendIsAWaitedOne() throws Exception {
    FailureInjectionTest.FailingSyncStore store = new FailureInjectionTest.FailingSyncStore(dir);
    try (Ledger ledger = open(store, Duration.ZERO)) {
      int syncsBefore = store.syncCalls.get();

      ledger.appendLazily(TestEntries.small(0)).get(5, TimeUnit.SECONDS);

      assertThat(store.syncCalls.get()).isEqualTo(syncsBefore + 1);
    }
  }

  @Test
  void theDelayIsBounded() {
    assertThatThrownBy(() -> LedgerOptions.builder().dir(dir).lazySyncDelay(Duration.ofSeconds(2)).build())
        .hasMessage("lazySyncDelay PT2S (expected: 0..1s)");
  }
}
