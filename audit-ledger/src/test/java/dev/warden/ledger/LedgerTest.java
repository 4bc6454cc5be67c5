package dev.warden.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.json.JsonParser;
import dev.warden.ledger.store.SegmentFileStore;
import dev.warden.ledger.verify.LedgerVerifier;
import dev.warden.ledger.verify.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir Path dir;

  private Ledger open() {
    return Ledger.open(LedgerOptions.builder().dir(dir).chainId("gw-1").build());
  }

  @Test
  void appendsAreChainedGaplessAndReadBack() {
    List<Appended> acks = new ArrayList<>();
    try (Ledger ledger = open()) {
      for (int i = 0; i < 20; i++) {
        acks.add(ledger.append(TestEntries.draft(ledger, i)));
      }
      assertThat(ledger.head()).isEqualTo(new Head("gw-1", 20, acks.get(19).hash()));
    }
    List<LedgerEntry> entries = LedgerReader.readAll(dir);
    assertThat(entries).hasSize(20);
    assertThat(entries.get(0).prev()).isEqualTo(ChainRules.genesis("gw-1"));
    for (int i = 0; i < 20; i++) {
      LedgerEntry e = entries.get(i);
      assertThat(e.seq()).isEqualTo(i);
      assertThat(e.hash()).isEqualTo(acks.get(i).hash());
      assertThat(e.requestId()).isEqualTo("req-" + i);
      if (i > 0) {
        assertThat(e.prev()).isEqualTo(entries.get(i - 1).hash());
      }
    }
    assertThat(entries.get(3).attrs()).containsEntry("note", "café ✓");
    assertThat(entries.get(3).tokens()).isEqualTo(new Tokens(103, 23, 3, 0));
    assertThat(entries.get(3).costUsd()).isEqualByComparingTo("0.000103");
  }

  @Test
  void linesAreCanonicalJsonWithSortedMembersReadableByAnyJsonTool() throws Exception {
    try (Ledger ledger = open()) {
      ledger.append(TestEntries.draft(ledger, 1));
    }
    String line = Files.readAllLines(dir.resolve("segment-000001.jsonl"), StandardCharsets.UTF_8).get(0);
    assertThat(line).startsWith("{\"actor\":{\"customer\":\"acme\",\"key_id\":\"vk_1\"");
    assertThat(line).contains("\"chain\":\"gw-1\",\"cost_usd\":\"0.000101\"");
    assertThat(line).contains("\"request_digest\":\"hmac-sha256:");
    assertThat(line).doesNotContain(": ").doesNotContain(", ").doesNotContain("question 1");
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) JsonParser.parse(line);
    assertThat(new ArrayList<>(m.keySet())).isSorted();
  }

  @Test
  void reopeningContinuesTheChainAndEveryOpenAndCloseIsCheckpointed() throws Exception {
    try (Ledger ledger = open()) {
      ledger.append(TestEntries.small(0));
      ledger.append(TestEntries.small(1));
    }
    Appended third;
    try (Ledger ledger = open()) {
      assertThat(ledger.head().size()).isEqualTo(2);
      third = ledger.append(TestEntries.small(2));
      assertThat(third.seq()).isEqualTo(2);
    }
    List<String> cps = Files.readAllLines(dir.resolve(SegmentFileStore.CHECKPOINTS));
    // open(0), close(2), open(2), close(3)
    assertThat(cps).hasSize(4);
    Checkpoint last = Checkpoint.parse(cps.get(3).getBytes(StandardCharsets.UTF_8));
    assertThat(last.size()).isEqualTo(3);
    assertThat(last.head()).isEqualTo(third.hash());
    VerificationResult r = LedgerVerifier.verify(dir);
    assertThat(r.summary()).isEqualTo("OK 3 entries, head " + third.hash());
  }

  @Test
  void manyThreadsShareGroupCommitsAndEveryAckIsDistinct() {
    try (Ledger ledger = open(); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<CompletableFuture<Appended>> fs = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        int n = i;
        fs.add(CompletableFuture.supplyAsync(() -> ledger.append(TestEntries.small(n)), pool));
      }
      assertThat(fs.stream().map(CompletableFuture::join).map(Appended::seq).distinct().count()).isEqualTo(2000);
      assertThat(ledger.head().size()).isEqualTo(2000);
    }
    assertThat(LedgerVerifier.verify(dir).ok()).isTrue();
  }

  @Test
  void checkpointsAreWrittenEveryNEntries() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).checkpointEvery(10).build())) {
      for (int i = 0; i < 35; i++) {
        ledger.append(TestEntries.small(i));
      }
    }
    List<Long> sizes = Files.readAllLines(dir.resolve(SegmentFileStore.CHECKPOINTS)).stream()
        .map(l -> Checkpoint.parse(l.getBytes(StandardCharsets.UTF_8)).size()).toList();
    assertThat(sizes).startsWith(0L).endsWith(35L);
    assertThat(sizes).contains(10L, 20L, 30L);
  }

  @Test
  void checkpointsAreWrittenWithinTheIntervalWhenIdle() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir)
        .checkpointInterval(java.time.Duration.ofMillis(50)).build())) {
      ledger.append(TestEntries.small(0));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (ledger.lastCheckpoint().size() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(ledger.lastCheckpoint().size()).isEqualTo(1);
    }
  }

  @Test
  void segmentsRollAtTheSizeLimit() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).maxSegmentBytes(4096).build())) {
      for (int i = 0; i < 100; i++) {
        ledger.append(TestEntries.draft(ledger, i));
      }
    }
    assertThat(SegmentFileStore.segments(dir).size()).isGreaterThan(5);
    assertThat(LedgerReader.readAll(dir)).hasSize(100);
    assertThat(LedgerVerifier.verify(dir).summary()).startsWith("OK 100 entries");
  }

  @Test
  void appendAfterCloseIsRefusedAsUnavailable() {
    Ledger ledger = open();
    ledger.close();
    assertThat(ledger.healthy()).isFalse();
    assertThatThrownBy(() -> ledger.append(TestEntries.small(0)))
        .isInstanceOf(LedgerUnavailableException.class).hasMessageContaining("closed");
  }

  @Test
  void digestsAreKeyedAndStableAcrossReopen() {
    String d1;
    try (Ledger ledger = open()) {
      d1 = ledger.digest("alice@example.com".getBytes(StandardCharsets.UTF_8));
    }
    try (Ledger ledger = open()) {
      assertThat(ledger.digest("alice@example.com".getBytes(StandardCharsets.UTF_8))).isEqualTo(d1);
    }
    // Not the bare SHA-256 of the text, which anyone could recompute from a guess.
    assertThat(d1).startsWith("hmac-sha256:").doesNotContain(dev.warden.ledger.crypto.Hex.encode(
        dev.warden.ledger.crypto.Sha256.hash("alice@example.com".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void refusesToAppendToAnotherChainsDirectory() {
    try (Ledger ledger = open()) {
      ledger.append(TestEntries.small(0));
    }
    assertThatThrownBy(() -> Ledger.open(LedgerOptions.builder().dir(dir).chainId("gw-2").build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chain gw-1 (expected: gw-2; one directory holds one chain)");
  }

  @Test
  void refusesToAppendWhenEntriesWereCutOff() throws Exception {
    try (Ledger ledger = open()) {
      for (int i = 0; i < 3; i++) {
        ledger.append(TestEntries.small(i));
      }
    }
    Path seg = dir.resolve("segment-000001.jsonl");
    List<String> lines = Files.readAllLines(seg);
    Files.writeString(seg, lines.get(0) + "\n");
    assertThatThrownBy(this::open).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a checkpoint covers 3 entries but only 1 are stored");
  }

  @Test
  void invalidDraftFailsInTheCallerAndDoesNotHarmTheLedger() {
    try (Ledger ledger = open()) {
      assertThatThrownBy(() -> ledger.append(EntryDraft.builder().kind(EntryKind.LOGIN).model("bad \uD800").build()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
      assertThat(ledger.append(TestEntries.small(0)).seq()).isZero();
      assertThat(ledger.healthy()).isTrue();
    }
  }
}
