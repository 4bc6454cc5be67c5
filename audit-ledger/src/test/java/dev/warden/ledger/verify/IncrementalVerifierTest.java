package dev.warden.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.TestEntries;
import dev.warden.ledger.store.SegmentFileStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalVerifierTest {
  @TempDir Path dir;
  private Ledger ledger;
  private int appended;

  @BeforeEach
  void open() {
    // Small segments so a few dozen entries span many files; a checkpoint every 5 entries.
    ledger = Ledger.open(LedgerOptions.builder().dir(dir).chainId("gw-1")
        .maxSegmentBytes(2048).checkpointEvery(5).build());
  }

  @AfterEach
  void close() {
    if (ledger != null) {
      ledger.close();
    }
  }

  private void append(int n) {
    for (int i = 0; i < n; i++) {
      ledger.append(TestEntries.draft(ledger, appended++));
    }
    ledger.checkpoint(); // as the gateway does before each reading
  }

  private void stop() {
    ledger.close();
    ledger = null;
  }

  /** A verifier that has read a ledger of {@code entries} once, intact. */
  private IncrementalVerifier verifiedOnce(int entries) {
    IncrementalVerifier verifier = new IncrementalVerifier(dir, VerifyOptions.defaults());
    append(entries);
    intact(verifier.verify());
    return verifier;
  }

  private static VerificationResult.Intact intact(IncrementalVerifier.Reading r) {
    assertThat(r.result().ok()).as(r.result().summary()).isTrue();
    return (VerificationResult.Intact) r.result();
  }

  @Test
  void aSecondReadingReadsOnlyTheLastSegmentAndWhatCameAfter() throws IOException {
    IncrementalVerifier verifier = new IncrementalVerifier(dir, VerifyOptions.defaults());
    append(40);

    IncrementalVerifier.Reading first = verifier.verify();
    assertThat(first.full()).isTrue();
    assertThat(first.fullBecause()).isEqualTo("no earlier intact reading to go on from");
    assertThat(first.entriesRead()).isEqualTo(40);

    append(10);
    IncrementalVerifier.Reading second = verifier.verify();

    VerificationResult.Intact got = intact(second);
    VerificationResult.Intact fully = (VerificationResult.Intact) LedgerVerifier.verify(dir);
    assertThat(second.full()).isFalse();
    assertThat(second.fullBecause()).isNull();
    assertThat(got.entries()).isEqualTo(50);
    assertThat(got.head()).isEqualTo(fully.head()).isEqualTo(ledger.head().hash());
    assertThat(got.newestCheckpoint()).isEqualTo(fully.newestCheckpoint());
    // The new entries and those of the segment the first reading ended in; nothing before it.
    int segments = SegmentFileStore.segments(dir).size();
    assertThat(segments).isGreaterThan(5);
    assertThat(second.entriesRead()).isGreaterThanOrEqualTo(10).isLessThan(50);
    assertThat(got.notes()).anyMatch(n -> n.startsWith("incremental: entries 0-"));
  }

  @Test
  void readingsGoOnAsTheLedgerGrowsAndAgreeWithFullVerifications() {
    IncrementalVerifier verifier = new IncrementalVerifier(dir, VerifyOptions.defaults());
    Random random = new Random(7);
    for (int round = 0; round < 12; round++) {
      append(random.nextInt(15)); // some rounds add nothing, some only a checkpoint's worth
      IncrementalVerifier.Reading r = verifier.verify();
      VerificationResult full = LedgerVerifier.verify(dir);
      assertThat(r.full()).isEqualTo(round == 0);
      assertThat(r.result().summary()).isEqualTo(full.summary());
    }
  }

  @Test
  void damageAfterThePointIsFoundAsAFullVerificationFindsIt() throws IOException {
    IncrementalVerifier verifier = verifiedOnce(30);
    append(12);
    stop();
    List<Path> segments = SegmentFileStore.segments(dir);
    Path last = segments.get(segments.size() - 1);
    String text = Files.readString(last, StandardCharsets.UTF_8);
    Files.writeString(last, text.replaceFirst("\"status\":200", "\"status\":201"), StandardCharsets.UTF_8);

    IncrementalVerifier.Reading r = verifier.verify();

    assertThat(r.full()).isFalse();
    assertThat(r.result().ok()).isFalse();
    assertThat(r.result().summary()).isEqualTo(LedgerVerifier.verify(dir).summary()).startsWith("FAIL at entry ");
    // A broken verdict leaves nothing to go on from: the next reading is full, and still broken.
    IncrementalVerifier.Reading next = verifier.verify();
    assertThat(next.full()).isTrue();
    assertThat(next.result().summary()).isEqualTo(r.result().summary());
  }

  @Test
  void aChangedEarlierSegmentMakesTheReadingFull() throws IOException {
    IncrementalVerifier verifier = verifiedOnce(40);
    stop();
    Path second = SegmentFileStore.segments(dir).get(1);
    String text = Files.readString(second, StandardCharsets.UTF_8);
    Files.writeString(second, text.replaceFirst("\"status\":200", "\"status\":201"), StandardCharsets.UTF_8);

    IncrementalVerifier.Reading r = verifier.verify();

    assertThat(r.full()).isTrue();
    assertThat(r.fullBecause()).isEqualTo("segment " + second.getFileName() + " changed since it was read (size,"
        + " inode or change time)");
    assertThat(r.result().ok()).isFalse();
    assertThat(r.result().summary()).isEqualTo(LedgerVerifier.verify(dir).summary());
  }

  @Test
  void anEarlierSegmentRewrittenWithTheSameBytesIsReadAgainAndPasses() throws IOException {
    IncrementalVerifier verifier = verifiedOnce(40);
    Path first = SegmentFileStore.segments(dir).get(0);
    Path copy = dir.resolveSibling("copy.jsonl");
    Files.copy(first, copy);
    Files.move(copy, first, StandardCopyOption.REPLACE_EXISTING); // same bytes, another inode

    IncrementalVerifier.Reading r = verifier.verify();

    assertThat(r.full()).isTrue();
    assertThat(r.fullBecause()).startsWith("segment " + first.getFileName() + " changed since it was read");
    assertThat(intact(r).entries()).isEqualTo(40);
    assertThat(verifier.verify().full()).isFalse();
  }

  @Test
  void aDeletedEarlierSegmentMakesTheReadingFullAndBroken() throws IOException {
    IncrementalVerifier verifier = verifiedOnce(40);
    stop();
    List<Path> segments = SegmentFileStore.segments(dir);
    assertThat(segments.size()).isGreaterThan(3);
    Files.delete(segments.get(1));

    IncrementalVerifier.Reading r = verifier.verify();

    assertThat(r.full()).isTrue();
    assertThat(r.fullBecause()).isEqualTo("segment " + segments.get(1).getFileName() + " is no longer where it was"
        + " (found " + segments.get(2).getFileName() + ")");
    assertThat(r.result().ok()).isFalse();
    assertThat(r.result().summary()).isEqualTo(LedgerVerifier.verify(dir).summary());
  }

  @Test
  void aReplacedOrShortenedCheckpointsFileMakesTheReadingFull() throws IOException {
    IncrementalVerifier verifier = verifiedOnce(40);
    stop();
    Path checkpoints = dir.resolve(SegmentFileStore.CHECKPOINTS);
    List<String> lines = Files.readAllLines(checkpoints, StandardCharsets.UTF_8);
    Path copy = dir.resolveSibling("cp.jsonl");
    Files.write(copy, lines.subList(0, lines.size() - 3), StandardCharsets.UTF_8);
    Files.move(copy, checkpoints, StandardCopyOption.REPLACE_EXISTING);

    IncrementalVerifier.Reading r = verifier.verify();

    assertThat(r.full()).isTrue();
    assertThat(r.fullBecause()).isEqualTo("checkpoints.jsonl was replaced");
    assertThat(r.result().summary()).isEqualTo(LedgerVerifier.verify(dir).summary());
  }

  @Test
  void aCheckpointCutFromTheEndInPlaceIsFound() throws IOException {
    IncrementalVerifier verifier = verifiedOnce(40);
    append(8);
    stop();
    Path checkpoints = dir.resolve(SegmentFileStore.CHECKPOINTS);
    byte[] all = Files.readAllBytes(checkpoints);
    int cut = all.length - 1;
    while (all[cut - 1] != '\n') {
      cut--;
    }
    try (var ch = java.nio.channels.FileChannel.open(checkpoints, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(cut); // the same file, one line shorter
    }

    IncrementalVerifier.Reading r = verifier.verify();

    assertThat(r.result().summary()).isEqualTo(LedgerVerifier.verify(dir).summary());
  }

  @Test
  void anInterruptedReadingLeavesThePointWhereItWas() {
    AtomicInteger asked = new AtomicInteger();
    AtomicInteger interruptAt = new AtomicInteger(-1);
    Pacer pacer = () -> {
      if (asked.incrementAndGet() == interruptAt.get()) {
        throw new InterruptedException();
      }
    };
    IncrementalVerifier verifier = new IncrementalVerifier(dir, VerifyOptions.defaults().withPacer(pacer));
    append(40);
    intact(verifier.verify());
    append(10);
    asked.set(0);
    interruptAt.set(3);

    try {
      assertThatThrownBy(verifier::verify).isInstanceOf(CancellationException.class);
    } finally {
      Thread.interrupted();
    }
    interruptAt.set(-1);
    asked.set(0);
    IncrementalVerifier.Reading r = verifier.verify();

    assertThat(r.full()).isFalse();
    assertThat(intact(r).entries()).isEqualTo(50);
    assertThat(asked.get()).isEqualTo((int) r.entriesRead());
  }

  @Test
  void verifyFullyReadsEverything() {
    IncrementalVerifier verifier = verifiedOnce(25);
    append(5);

    IncrementalVerifier.Reading r = verifier.verifyFully();

    assertThat(r.full()).isTrue();
    assertThat(r.fullBecause()).isEqualTo("asked for");
    assertThat(r.entriesRead()).isEqualTo(30);
    assertThat(verifier.verify().full()).isFalse();
  }

  @Test
  void anEmptyOrMissingLedgerIsReadFullyEachTime() {
    Path none = dir.resolve("none");
    IncrementalVerifier verifier = new IncrementalVerifier(none, VerifyOptions.defaults());

    IncrementalVerifier.Reading r = verifier.verify();

    assertThat(r.result().ok()).isFalse();
    assertThat(r.result().summary()).contains("no ledger directory");
    assertThat(verifier.verify().full()).isTrue();
  }
}
