package dev.warden.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ledger.store.LedgerStore.Recovery;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead journal of {@link SegmentFileStore}: what {@code sync()} acknowledged survives losing the
 * segment's unsynced bytes, torn and stale journal records are ignored, a segment that disagrees with the journal is
 * refused, and without the journal every sync forces the segment.
 *
 * <p>A crash is simulated on a copy of the directory taken while the store is open ({@link JournalImages#copy}: what
 * a kill -9 leaves), then cut as a power cut would cut it.
 */
class SegmentFileStoreJournalTest {
  @TempDir Path dir;
  @TempDir Path image;

  private final List<SegmentFileStore> open = new ArrayList<>();
  /** Every line written, in order, with its newline: what the segments must hold. */
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private int next;

  @AfterEach
  void closeAll() throws Exception {
    for (SegmentFileStore s : open) {
      s.close();
    }
  }

  private SegmentFileStore store(Path d, long maxSegmentBytes, boolean journal, long journalBytes) throws Exception {
    SegmentFileStore s = new SegmentFileStore(d, maxSegmentBytes, journal, journalBytes);
    open.add(s);
    s.open("test");
    return s;
  }

  private Recovery reopen(Path d) throws Exception {
    SegmentFileStore s = new SegmentFileStore(d, 1 << 20, true, 1 << 16);
    open.add(s);
    return s.open("test");
  }

  /** Writes a batch of {@code n} lines and syncs it: acknowledged. */
  private void batch(SegmentFileStore s, int n, int padding) throws Exception {
    List<byte[]> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] l = String.format("{\"i\":\"%06d\",\"p\":\"%s\"}", next++, "x".repeat(padding))
          .getBytes(StandardCharsets.UTF_8);
      lines.add(l);
      written.writeBytes(l);
      written.write('\n');
    }
    s.write(lines);
    s.sync();
  }

  private static byte[] allSegments(Path d) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Path p : SegmentFileStore.segments(d)) {
      out.writeBytes(Files.readAllBytes(p));
    }
    return out.toByteArray();
  }

  private static void assertPureJsonLines(Path d) throws Exception {
    for (Path p : SegmentFileStore.segments(d)) {
      byte[] data = Files.readAllBytes(p);
      for (byte b : data) {
        assertThat(b).as(p + " holds a NUL byte").isNotZero();
      }
      assertThat(data.length == 0 || data[data.length - 1] == '\n').as(p + " ends with a newline").isTrue();
    }
  }

  private static Path segment(Path d, int n) {
    return d.resolve(SegmentFileStore.segmentName(n));
  }

  private static void truncate(Path file, long size) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  private static void overwrite(Path file, long at, byte[] bytes) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), at);
    }
  }

  @Test
  void acknowledgedBatchesSurviveLosingTheSegmentsUnsyncedBytes() throws Exception {
    SegmentFileStore s = store(dir, 1 << 20, true, 1 << 16);
    for (int b = 0; b < 20; b++) {
      batch(s, 1 + b % 4, b * 7);
    }
    assertThat(s.journalForces()).isEqualTo(20);
    assertThat(s.segmentForces()).as("the segment is not forced per batch").isZero();

    JournalImages.copy(dir, image);
    // A power cut: none of the segment's bytes reached the disk, and the last line is torn mid-way.
    long size = Files.size(segment(image, 1));
    truncate(segment(image, 1), size / 3);
    Recovery r = reopen(image);
    assertThat(r.repairs()).singleElement().asString()
        .startsWith("journal.wal: restored " + (size - size / 3) + " bytes of segment-000001.jsonl (offsets ")
        .contains(".." + size + ", ")
        .endsWith("that a crash lost before the segment was fsync'd");
    assertThat(allSegments(image)).isEqualTo(written.toByteArray());
    assertPureJsonLines(image);

    // Opened again: nothing left to do.
    open.getLast().close();
    assertThat(reopen(image).repairs()).isEmpty();
    assertThat(allSegments(image)).isEqualTo(written.toByteArray());
  }

  @Test
  void blocksThatReachedTheDiskAsZerosAreRewritten() throws Exception {
    SegmentFileStore s = store(dir, 1 << 20, true, 1 << 16);
    for (int b = 0; b < 10; b++) {
      batch(s, 3, 200);
    }
    JournalImages.copy(dir, image);
    // The file size was committed but one block in the middle never was written: it reads as zeros.
    overwrite(segment(image, 1), 1000, new byte[700]);
    Recovery r = reopen(image);
    assertThat(r.repairs()).singleElement().asString().startsWith("journal.wal: restored 700 bytes of segment-000001");
    assertThat(allSegments(image)).isEqualTo(written.toByteArray());
  }

  @Test
  void aSegmentThatDisagreesWithTheJournalIsRefusedAndNotOverwritten() throws Exception {
    SegmentFileStore s = store(dir, 1 << 20, true, 1 << 16);
    for (int b = 0; b < 5; b++) {
      batch(s, 2, 10);
    }
    JournalImages.copy(dir, image);
    long size = Files.size(segment(image, 1));
    byte[] edited = Files.readAllBytes(segment(image, 1));
    int at = new String(edited, StandardCharsets.UTF_8).indexOf("\"i\":\"000007\"") + 10;
    edited[at] = '8'; // entry 7 now claims to be entry 8
    Files.write(segment(image, 1), edited);
    truncate(segment(image, 1), size - 5); // and its tail was lost, which alone the journal would restore

    assertThatThrownBy(() -> reopen(image)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is damaged: segment-000001.jsonl disagrees with journal.wal")
        .hasMessageContaining("at byte " + at + " the segment has 0x38 where the journal has 0x37")
        .hasMessageContaining("Refusing to overwrite it");
    byte[] after = Files.readAllBytes(segment(image, 1));
    assertThat(after).hasSize((int) size - 5);
    assertThat(after[at]).isEqualTo((byte) '8');
    // The journal is left as it was, so the next attempt refuses again.
    assertThatThrownBy(() -> reopen(image)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aGapBeforeAJournalRecordIsRefused() throws Exception {
    SegmentFileStore s = store(dir, 1 << 20, true, 1 << 16);
    batch(s, 2, 10);
    s.writeCheckpoint("{\"cp\":1}".getBytes(StandardCharsets.UTF_8)); // the segment is forced here
    long durable = Files.size(segment(dir, 1));
    batch(s, 2, 10);
    JournalImages.copy(dir, image);
    // Bytes that were fsync'd before the journal's generation began are gone: the journal cannot fill them.
    truncate(segment(image, 1), durable - 10);
    assertThatThrownBy(() -> reopen(image)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the segment ends at " + (durable - 10) + ", before the record starts");
  }

  @Test
  void aTornJournalRecordEndsTheReplay() throws Exception {
    SegmentFileStore s = store(dir, 1 << 20, true, 1 << 16);
    for (int b = 0; b < 6; b++) {
      batch(s, 2, 30);
    }
    List<WriteAheadJournal.Entry> gen = JournalImages.currentGeneration(dir);
    assertThat(gen).hasSize(7); // the marker and six batches
    WriteAheadJournal.Entry fourth = gen.get(4);
    JournalImages.copy(dir, image);
    // The record of batch 4 was torn (its second half never reached the disk); batches 5 and 6 after it are intact
    // in the journal but were never acknowledged, since acknowledging them would have made batch 4 durable first.
    overwrite(image.resolve(SegmentFileStore.JOURNAL), fourth.journalOffset() + 40, new byte[fourth.payload().length / 2]);
    truncate(segment(image, 1), 0);
    Recovery r = reopen(image);
    assertThat(r.repairs()).singleElement().asString().contains("3 journal records");
    assertThat(Files.readAllBytes(segment(image, 1))).isEqualTo(Arrays.copyOf(written.toByteArray(), (int) fourth.offset()));
  }

  @Test
  void wrappingForcesTheSegmentAndStaleRecordsAreIgnored() throws Exception {
    SegmentFileStore s = store(dir, 1 << 20, true, 4096);
    // Batches of one size, so every generation puts its records where the one before put its own: the current
    // generation ends exactly where a stale record of the previous one begins, intact.
    for (int b = 0; b < 150; b++) {
      batch(s, 2, 50);
    }
    WriteAheadJournal.Scan scan = JournalImages.scan(dir);
    assertThat(scan.generation()).as("the journal wrapped several times").isGreaterThan(5);
    assertThat(s.segmentForces()).as("one segment fdatasync per wrap").isEqualTo(scan.generation() - 1);
    assertThat(s.journalForces()).isEqualTo(150);
    List<WriteAheadJournal.Entry> gen = JournalImages.currentGeneration(dir);
    assertThat(gen).allSatisfy(e -> assertThat(e.generation()).isEqualTo(scan.generation()));
    long genEnd = gen.getLast().journalOffset() + WriteAheadJournal.recordSize(gen.getLast().payload().length);
    assertThat(scan.end()).isEqualTo(genEnd);
    assertThat(scan.newestGeneration()).isEqualTo(scan.generation());

    JournalImages.copy(dir, image);
    // Behind the current generation lie records of the one before, for bytes already durable. Change one of those
    // bytes in the segment: were the stale record replayed, the open would fail on the mismatch.
    WriteAheadJournal.Entry stale = staleRecordAfter(image, genEnd);
    assertThat(stale.generation()).isEqualTo(scan.generation() - 1);
    assertThat(stale.journalOffset()).isEqualTo(genEnd);
    overwrite(segment(image, 1), stale.offset() + 2, "#".getBytes(StandardCharsets.US_ASCII));
    long dropped = JournalImages.losePageCache(image);
    assertThat(dropped).isPositive();
    Recovery r = reopen(image);
    assertThat(r.repairs()).singleElement().asString().contains("restored " + dropped + " bytes");
    byte[] expected = written.toByteArray();
    expected[(int) stale.offset() + 2] = '#';
    assertThat(allSegments(image)).isEqualTo(expected);
  }

  /** The first intact record with a payload at or after {@code from} (on an 8-byte boundary). */
  private static WriteAheadJournal.Entry staleRecordAfter(Path d, long from) throws Exception {
    try (FileChannel ch = FileChannel.open(d.resolve(SegmentFileStore.JOURNAL), StandardOpenOption.READ)) {
      for (long at = from; at < ch.size(); at += 8) {
        WriteAheadJournal.Entry e = WriteAheadJournal.readAt(ch, at);
        if (e != null && e.payload().length > 0) {
          return e;
        }
      }
    }
    throw new AssertionError("no stale record after " + from);
  }

  @Test
  void aTornMarkerDoesNotLetTheNextGenerationRepeatAStaleOne() throws Exception {
    SegmentFileStore s = store(dir, 1 << 20, true, 4096);
    for (int b = 0; b < 40; b++) {
      batch(s, 2, 60);
    }
    long generation = JournalImages.scan(dir).generation();
    JournalImages.copy(dir, image);
    // Tear the marker at offset 0 (a crash while a generation began): the records behind it are all stale now,
    // some of them of the generation just before.
    overwrite(image.resolve(SegmentFileStore.JOURNAL), 0, new byte[16]);
    WriteAheadJournal.Scan torn = JournalImages.scan(image);
    assertThat(torn.records()).isZero();
    assertThat(torn.newestGeneration()).isEqualTo(generation);

    SegmentFileStore again = store(image, 1 << 20, true, 4096);
    assertThat(JournalImages.scan(image).generation()).isEqualTo(generation + 1);
    batch(again, 1, 5);
    List<WriteAheadJournal.Entry> gen = JournalImages.currentGeneration(image);
    assertThat(gen).hasSize(2).allSatisfy(e -> assertThat(e.generation()).isEqualTo(generation + 1));
  }

  @Test
  void aSegmentWhoseCreationWasLostIsRecreatedFromTheJournal() throws Exception {
    SegmentFileStore s = store(dir, 2048, true, 1 << 16);
    for (int b = 0; b < 12; b++) {
      batch(s, 2, 300);
    }
    List<Path> segments = SegmentFileStore.segments(dir);
    assertThat(segments.size()).isGreaterThan(2);
    JournalImages.copy(dir, image);
    Path newest = image.resolve(segments.getLast().getFileName());
    Files.delete(newest);
    Recovery r = reopen(image);
    assertThat(r.repairs()).singleElement().asString()
        .startsWith("journal.wal: recreated " + newest.getFileName() + " and restored ");
    assertThat(allSegments(image)).isEqualTo(written.toByteArray());
  }

  @Test
  void aBatchLargerThanTheJournalIsForcedInItsSegment() throws Exception {
    SegmentFileStore s = store(dir, 1 << 20, true, 4096);
    batch(s, 1, 10);
    batch(s, 3, 2000); // 6 KB: more than the whole journal
    assertThat(s.segmentForces()).isEqualTo(1);
    batch(s, 1, 10);
    assertThat(s.journalForces()).isEqualTo(2); // the two small batches
    JournalImages.copy(dir, image);
    JournalImages.losePageCache(image);
    reopen(image);
    assertThat(allSegments(image)).isEqualTo(written.toByteArray());
  }

  @Test
  void checkpointsForceTheSegmentFirstAndACleanCloseLeavesNothingToReplay() throws Exception {
    SegmentFileStore s = store(dir, 1 << 20, true, 1 << 16);
    batch(s, 2, 10);
    batch(s, 2, 10);
    assertThat(s.segmentForces()).isZero();
    s.writeCheckpoint("{\"cp\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(s.segmentForces()).isEqualTo(1);
    assertThat(JournalImages.currentGeneration(dir)).singleElement()
        .satisfies(m -> assertThat(m.offset()).isEqualTo(Files.size(segment(dir, 1))));
    s.writeCheckpoint("{\"cp\":2}".getBytes(StandardCharsets.UTF_8)); // nothing new: no segment fdatasync
    assertThat(s.segmentForces()).isEqualTo(1);
    batch(s, 1, 10);
    s.close();
    assertThat(s.segmentForces()).isEqualTo(2);
    assertThat(JournalImages.currentGeneration(dir)).singleElement()
        .satisfies(m -> assertThat(m.payload()).isEmpty());
    // Cut the segment after a clean close: the journal holds nothing for it, so the loss stays visible.
    truncate(segment(dir, 1), 10);
    assertThat(reopen(dir).repairs()).singleElement().asString().startsWith("segment-000001.jsonl: cut a torn");
  }

  @Test
  void theSegmentIsWrittenBackInTheBackgroundSoACheckpointFindsLittleToForce() throws Exception {
    SegmentFileStore s = store(dir, 64 << 20, true, 8 << 20);
    int batches = 0;
    while (Files.size(segment(dir, 1)) < 3 * SegmentWriteback.THRESHOLD_BYTES) {
      batch(s, 8, 1000);
      batches++;
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (s.segmentWritebacks() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(s.segmentWritebacks()).as("background fdatasyncs of the segment").isPositive();
    assertThat(s.segmentForces()).as("the writer forced no segment").isZero();
    assertThat(s.journalForces()).isEqualTo(batches);

    // The checkpoint still forces the segment itself (after any background force in flight) and restarts the
    // journal; what it covers is all there.
    s.writeCheckpoint("{\"cp\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(s.segmentForces()).isEqualTo(1);
    assertThat(JournalImages.currentGeneration(dir)).singleElement()
        .satisfies(m -> assertThat(m.offset()).isEqualTo(Files.size(segment(dir, 1))));
    assertThat(allSegments(dir)).isEqualTo(written.toByteArray());
    assertPureJsonLines(dir);

    // A power cut after more batches: the journal still brings back what the segment lost.
    batch(s, 3, 10);
    JournalImages.copy(dir, image);
    long size = Files.size(segment(image, 1));
    truncate(segment(image, 1), size - 20);
    SegmentFileStore reopened = new SegmentFileStore(image, 64 << 20, true, 8 << 20);
    open.add(reopened);
    assertThat(reopened.open("test").repairs()).singleElement().asString().startsWith("journal.wal: restored 20 bytes");
    assertThat(allSegments(image)).isEqualTo(written.toByteArray());
  }

  @Test
  void withoutTheJournalEverySyncForcesTheSegmentAndALeftOverJournalIsReplayedThenRemoved() throws Exception {
    SegmentFileStore s = store(dir, 1 << 20, true, 1 << 16);
    batch(s, 3, 10);
    batch(s, 3, 10);
    JournalImages.copy(dir, image);
    truncate(segment(image, 1), 0);

    SegmentFileStore direct = store(image, 1 << 20, false, 0);
    assertThat(direct.journaled()).isFalse();
    assertThat(image.resolve(SegmentFileStore.JOURNAL)).doesNotExist();
    assertThat(allSegments(image)).isEqualTo(written.toByteArray());
    for (int b = 0; b < 5; b++) {
      batch(direct, 2, 10);
    }
    assertThat(direct.segmentForces()).isEqualTo(5);
    assertThat(direct.journalForces()).isZero();
    assertThat(allSegments(image)).isEqualTo(written.toByteArray());
    assertThat(image.resolve(SegmentFileStore.JOURNAL)).doesNotExist();
  }

  @Test
  void aJournalOfAnotherSizeIsReplayedThenReplaced() throws Exception {
    SegmentFileStore s = store(dir, 1 << 20, true, 8192);
    batch(s, 3, 10);
    JournalImages.copy(dir, image);
    truncate(segment(image, 1), 0);
    assertThat(Files.size(image.resolve(SegmentFileStore.JOURNAL))).isEqualTo(8192);
    store(image, 1 << 20, true, 5000);
    assertThat(Files.size(image.resolve(SegmentFileStore.JOURNAL))).isEqualTo(8192); // rounded up to 4 KiB pages
    open.getLast().close();
    store(image, 1 << 20, true, 3 * 4096);
    assertThat(Files.size(image.resolve(SegmentFileStore.JOURNAL))).isEqualTo(3 * 4096);
    assertThat(allSegments(image)).isEqualTo(written.toByteArray());
  }
}
