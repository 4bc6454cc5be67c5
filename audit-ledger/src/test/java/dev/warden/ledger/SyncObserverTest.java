package dev.warden.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync observer sees each group commit's fsync: the entries it made durable and how long it took. */
class SyncObserverTest {
  @TempDir Path dir;

  private record Sync(int entries, long nanos) {}

  private Ledger open(List<Sync> seen, SyncObserver extra, Duration lazySyncDelay) {
    return Ledger.open(LedgerOptions.builder().dir(dir).lazySyncDelay(lazySyncDelay)
        .checkpointInterval(Duration.ofHours(1)).checkpointEvery(1_000_000)
        .syncObserver((entries, nanos) -> {
          seen.add(new Sync(entries, nanos));
          extra.synced(entries, nanos);
        }).build());
  }

  @Test
  void everyEntryIsCountedInExactlyOneSync() throws Exception {
    List<Sync> seen = new CopyOnWriteArrayList<>();
    try (Ledger ledger = open(seen, SyncObserver.NONE, Duration.ofMillis(5))) {
      List<CompletableFuture<Appended>> all = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        all.add(i % 2 == 0 ? ledger.appendAsync(TestEntries.small(i)) : ledger.appendLazily(TestEntries.small(i)));
      }
      for (CompletableFuture<Appended> f : all) {
        f.get(10, TimeUnit.SECONDS);
      }

      assertThat(seen).isNotEmpty().allSatisfy(s -> assertThat(s.nanos()).isPositive());
      assertThat(seen.stream().mapToInt(Sync::entries).sum()).isEqualTo(300);
    }
  }

  @Test
  void lazyEntriesAreCountedWithTheWaitedAppendWhoseFsyncCoversThem() throws Exception {
    List<Sync> seen = new CopyOnWriteArrayList<>();
    try (Ledger ledger = open(seen, SyncObserver.NONE, Duration.ofSeconds(1))) {
      for (int i = 0; i < 4; i++) {
        ledger.appendLazily(TestEntries.small(i));
      }
      Thread.sleep(100); // written by now, not yet fsync'd
      assertThat(seen).isEmpty();

      ledger.append(TestEntries.small(4));

      assertThat(seen).singleElement().extracting(Sync::entries).isEqualTo(5);
    }
  }

  @Test
  void anObserverThatThrowsDoesNotFailTheLedger() throws Exception {
    List<Sync> seen = new CopyOnWriteArrayList<>();
    try (Ledger ledger = open(seen, (entries, nanos) -> {
      throw new IllegalStateException("observer broke");
    }, Duration.ofMillis(5))) {
      assertThat(ledger.append(TestEntries.small(0)).seq()).isZero();
      assertThat(ledger.append(TestEntries.small(1)).seq()).isEqualTo(1);

      assertThat(ledger.healthy()).isTrue();
      assertThat(seen).hasSize(2);
    }
  }
}
