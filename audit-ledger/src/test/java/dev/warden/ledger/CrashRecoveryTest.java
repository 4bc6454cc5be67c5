package dev.warden.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.ledger.store.JournalImages;
import dev.warden.ledger.store.SegmentFileStore;
import dev.warden.ledger.verify.LedgerVerifier;
import dev.warden.ledger.verify.VerificationResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL while it appends under load, several times over the same ledger; after each
 * restart every acknowledged entry must be there, unchanged, and the chain must verify. Rounds alternate between
 * the write-ahead journal and direct segment fdatasync; after a journal round the segments also lose every byte
 * written since they were last fdatasync'd, as in a power cut, and the journal must give the acknowledged ones back.
 */
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedEntrySurvivesSigkillAndTheChainVerifies() throws Exception {
    Random random = new Random(42);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    int rounds = 0;
    long totalAcked = 0;
    long droppedByPowerCuts = 0;
    while (rounds < 4 || (rounds < 8 && System.nanoTime() < deadline)) {
      boolean journal = rounds % 2 == 0;
      Map<Long, String> acked = new ConcurrentHashMap<>();
      Process child = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-XX:TieredStopAtLevel=1",
          CrashChild.class.getName(), dir.toString(), "32", journal ? "journal" : "direct")
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      CountDownLatch enough = new CountDownLatch(1);
      int wanted = 50 + random.nextInt(400);
      Thread reader = Thread.ofPlatform().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            // At EOF readLine also returns a last line the kill cut short; it fails this format check and is
            // ignored (its entry may or may not be on disk, but it was not reported as acknowledged in full).
            String[] p = line.split(" ");
            if (p.length == 3 && p[0].equals("ACK") && p[2].length() == 64) {
              acked.put(Long.parseLong(p[1]), p[2]);
              if (acked.size() >= wanted) {
                enough.countDown();
              }
            }
          }
        } catch (Exception e) {
          // the pipe breaks when the child dies
        }
      });
      boolean reached = enough.await(20, TimeUnit.SECONDS);
      Thread.sleep(random.nextInt(150)); // kill at a random moment of the append stream
      child.destroyForcibly(); // SIGKILL on Unix
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      reader.join(5000);
      assertThat(reached).as("child acknowledged only " + acked.size() + " entries in 20 s").isTrue();
      if (journal) {
        // A kill -9 leaves the page cache; a power cut would not have. Drop what the segments were not fsync'd for.
        droppedByPowerCuts += JournalImages.losePageCache(dir);
      }

      try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).chainId("crash").build())) {
        assertThat(ledger.head().size()).isGreaterThan(acked.keySet().stream().mapToLong(Long::longValue).max()
            .orElseThrow());
      }
      List<LedgerEntry> entries = LedgerReader.readAll(dir);
      for (Map.Entry<Long, String> a : acked.entrySet()) {
        LedgerEntry e = entries.get(Math.toIntExact(a.getKey()));
        assertThat(e.seq()).isEqualTo(a.getKey());
        assertThat(e.hash()).as("acknowledged entry " + a.getKey()).isEqualTo(a.getValue());
      }
      VerificationResult v = LedgerVerifier.verify(dir);
      assertThat(v.ok()).as(v.lines().toString()).isTrue();
      totalAcked += acked.size();
      rounds++;
    }
    assertThat(rounds).isGreaterThanOrEqualTo(4);
    assertThat(totalAcked).isGreaterThan(200);
    assertThat(droppedByPowerCuts).as("segment bytes the simulated power cuts dropped").isPositive();
  }

  @Test
  void aTornTrailingLineIsCutOnOpenAndReported() throws Exception {
    Appended last;
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).build())) {
      ledger.append(TestEntries.small(0));
      last = ledger.append(TestEntries.small(1));
    }
    Path seg = dir.resolve(SegmentFileStore.segmentName(1));
    long goodSize = Files.size(seg);
    // What a crash in the middle of write() leaves: part of a line, no newline.
    Files.writeString(seg, "{\"chain\":\"main\",\"kind\":\"requ", StandardOpenOption.APPEND);
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).build())) {
      assertThat(ledger.recovery().repairs()).singleElement().asString()
          .contains("segment-000001.jsonl: cut a torn trailing line of 28 bytes at offset " + goodSize);
      assertThat(ledger.head().hash()).isEqualTo(last.hash());
      assertThat(ledger.append(TestEntries.small(2)).seq()).isEqualTo(2);
    }
    assertThat(LedgerVerifier.verify(dir).summary()).startsWith("OK 3 entries");
  }

  @Test
  void acknowledgedEntriesSurviveAPowerCutThatLostTheSegmentsUnsyncedTail() throws Exception {
    Path live = dir.resolve("live");
    Path cut = dir.resolve("cut");
    List<Appended> appended = new ArrayList<>();
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(live).journal(true).checkpointEvery(40)
        .checkpointInterval(Duration.ofHours(1)).build())) {
      for (int i = 0; i < 100; i++) {
        appended.add(ledger.append(TestEntries.draft(ledger, i)));
      }
      JournalImages.copy(live, cut); // while open: a kill -9
    }
    long before = Files.size(cut.resolve(SegmentFileStore.segmentName(1)));
    long dropped = JournalImages.losePageCache(cut);
    assertThat(dropped).as("bytes written since the last checkpoint fdatasync'd the segment").isPositive();
    // What a verifier sees on the disk right after the power cut: checkpoints only cover what the segment holds.
    VerificationResult onDisk = LedgerVerifier.verify(cut);
    assertThat(onDisk.ok()).as(onDisk.lines().toString()).isTrue();
    assertThat(onDisk.summary()).startsWith("OK 80 entries");

    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(cut).build())) {
      assertThat(ledger.recovery().repairs()).singleElement().asString()
          .startsWith("journal.wal: restored " + dropped + " bytes of segment-000001.jsonl");
      assertThat(ledger.head().size()).isEqualTo(100);
      assertThat(ledger.head().hash()).isEqualTo(appended.getLast().hash());
    }
    assertThat(Files.size(cut.resolve(SegmentFileStore.segmentName(1)))).isEqualTo(before);
    assertThat(LedgerVerifier.verify(cut).summary()).startsWith("OK 100 entries");
    List<LedgerEntry> entries = LedgerReader.readAll(cut);
    for (Appended a : appended) {
      assertThat(entries.get(Math.toIntExact(a.seq())).hash()).isEqualTo(a.hash());
    }
  }

  @Test
  void theJournalOptionDecidesWhatEachBatchFdatasyncs() throws Exception {
    for (boolean journal : new boolean[] {true, false}) {
      Path d = dir.resolve(journal ? "journal" : "direct");
      try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(d).journal(journal)
          .checkpointInterval(Duration.ofHours(1)).build())) {
        for (int i = 0; i < 5; i++) {
          ledger.append(TestEntries.small(i));
        }
      }
      assertThat(d.resolve(SegmentFileStore.JOURNAL).toFile().exists()).isEqualTo(journal);
    }
    SegmentFileStore journaled = new SegmentFileStore(dir.resolve("journal"), SegmentFileStore.DEFAULT_MAX_SEGMENT_BYTES,
        true, SegmentFileStore.DEFAULT_JOURNAL_BYTES);
    SegmentFileStore direct = new SegmentFileStore(dir.resolve("direct"), SegmentFileStore.DEFAULT_MAX_SEGMENT_BYTES,
        false, 0);
    for (SegmentFileStore store : List.of(journaled, direct)) {
      try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(store.dir()).store(store)
          .checkpointInterval(Duration.ofHours(1)).build())) {
        for (int i = 0; i < 5; i++) {
          ledger.append(TestEntries.small(i)); // one batch each: the caller waits for it
        }
        assertThat(store.journaled()).isEqualTo(store == journaled);
        assertThat(store.journalForces()).isEqualTo(store == journaled ? 5 : 0);
        assertThat(store.segmentForces()).isEqualTo(store == journaled ? 0 : 5);
      }
      assertThat(LedgerVerifier.verify(store.dir()).summary()).startsWith("OK 10 entries");
    }
  }
}
