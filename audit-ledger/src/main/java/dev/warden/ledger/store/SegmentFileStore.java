package dev.warden.ledger.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The default store: JSON Lines segment files {@code segment-000001.jsonl}, {@code segment-000002.jsonl}, … and
 * {@code checkpoints.jsonl}, all in one directory holding one chain, plus the optional write-ahead journal
 * {@code journal.wal}.
 *
 * <p>A new segment is started when the current one would pass {@code maxSegmentBytes}; a batch is never split, so
 * rolling is cheap. Creating a segment fsyncs the directory, since a file whose directory entry is lost on a power
 * cut takes its fsync'd contents with it.
 *
 * <p>With the journal (off in the constructors without the flag, on in the gateway; ADR 0003), {@link #write}
 * writes each batch as one record to {@code journal.wal}, a file of fixed size written full of zeros when it was
 * created, and then to the segment; {@link #sync} fdatasyncs the journal only. An fdatasync of a file that grows has to commit the new size through
 * the file system's journal; the journal file never grows, so its fdatasync writes data only, which on ext4 costs
 * about half as much CPU and latency. The segment is fdatasync'd when the journal is full, when the segment rolls,
 * before every checkpoint line (so that a checkpoint never covers entries that are durable only in the journal) and
 * on close; each time the journal starts a new generation, so the journal only ever holds batches that may not be
 * durable in their segment yet. Between those, a background thread fdatasyncs the segment every 256 KiB written
 * ({@link SegmentWriteback}), so that the writer's own segment fdatasyncs find little left to write. {@link #open}
 * writes the journal's batches back into their segments before anything else ({@link WriteAheadJournal} has the
 * record format). Segment files stay pure JSON Lines either way.
 *
 * <p>Without the journal (the default), {@link #sync} fdatasyncs the segment, as before the journal existed.
 */
public final class SegmentFileStore implements LedgerStore {
  public static final String CHECKPOINTS = "checkpoints.jsonl";
  /** The write-ahead journal's file name in the ledger directory. */
  public static final String JOURNAL = WriteAheadJournal.FILE;
  private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{6,})\\.jsonl");
  public static final long DEFAULT_MAX_SEGMENT_BYTES = 64L << 20;
  public static final long DEFAULT_JOURNAL_BYTES = 32L << 20;
  public static final long MIN_JOURNAL_BYTES = 4096;
  public static final long MAX_JOURNAL_BYTES = 1L << 30;

  private final Path dir;
  private final long maxSegmentBytes;
  private final boolean journalEnabled;
  private final long journalBytes;
  private @Nullable FileChannel segment;
  private int segmentNumber;
  private long segmentSize;
  private @Nullable FileChannel checkpoints;
  private @Nullable WriteAheadJournal journal;
  /** With the journal: fdatasyncs the segment in the background (see SegmentWriteback). */
  private @Nullable SegmentWriteback writeback;
  /** Segment bytes written since the last background fdatasync was asked for. */
  private long unrequestedBytes;
  private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
  /** Bytes were written to the segment since it was last fdatasync'd. */
  private boolean segmentDirty;
  /** A batch too large for the journal went to the segment alone: the next sync must fdatasync the segment. */
  private boolean bypassedJournal;
  /** A write or force failed: close() must not force anything (the ledger failed closed). */
  private boolean failed;
  // Counters for benchmarks and tests; written by the writer thread only.
  private volatile long journalForces;
  private volatile long segmentForces;
  private volatile long checkpointForces;

  /** A store without the write-ahead journal (each sync fdatasyncs the segment) and 64 MiB segments. */
  public SegmentFileStore(Path dir) {
    this(dir, DEFAULT_MAX_SEGMENT_BYTES);
  }

  /**
   * A store without the write-ahead journal; the journal is opt-in here ({@code LedgerOptions}-built ledgers turn
   * it on with {@code journal(true)}, as the gateway does; ADR 0003).
   */
  public SegmentFileStore(Path dir, long maxSegmentBytes) {
    this(dir, maxSegmentBytes, false, DEFAULT_JOURNAL_BYTES);
  }

  /**
   * @param journal whether to use the write-ahead journal; without it every sync fdatasyncs the segment. A journal
   *     left by an earlier run is replayed on {@link #open} either way, and then removed when {@code journal} is
   *     false
   * @param journalBytes the journal's size when {@code journal} is true, rounded up to a multiple of 4096
   *     ({@link #MIN_JOURNAL_BYTES}..{@link #MAX_JOURNAL_BYTES}); an existing journal of another size is replaced
   *     on open, after it was replayed
   */
  public SegmentFileStore(Path dir, long maxSegmentBytes, boolean journal, long journalBytes) {
    if (maxSegmentBytes < 1024) {
      throw new IllegalArgumentException("maxSegmentBytes " + maxSegmentBytes + " (expected: >= 1024)");
    }
    if (journal && (journalBytes < MIN_JOURNAL_BYTES || journalBytes > MAX_JOURNAL_BYTES)) {
      throw new IllegalArgumentException("journalBytes " + journalBytes + " (expected: " + MIN_JOURNAL_BYTES + ".."
          + MAX_JOURNAL_BYTES + ")");
    }
    this.dir = dir;
    this.maxSegmentBytes = maxSegmentBytes;
    this.journalEnabled = journal;
    this.journalBytes = (journalBytes + 4095) & ~4095L;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public Recovery open(String chain) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        DurableFiles.syncDirectory(parent);
      }
    }
    List<String> repairs = new ArrayList<>();
    Path journalFile = dir.resolve(JOURNAL);
    Files.deleteIfExists(dir.resolve(JOURNAL + ".tmp")); // a journal whose creation a crash interrupted
    long newestGeneration = -1; // -1: no journal to reuse
    if (Files.exists(journalFile)) {
      long size;
      long newest;
      try (FileChannel jc = FileChannel.open(journalFile, StandardOpenOption.READ)) {
        size = jc.size();
        newest = replayJournal(jc, repairs);
      }
      if (!journalEnabled) {
        DurableFiles.deleteDurably(journalFile); // replayed and fsync'd: nothing in it is needed any more
      } else if (size == journalBytes) {
        newestGeneration = newest;
      }
    }
    List<Path> segments = segments(dir);
    if (segments.isEmpty()) {
      startSegment(1);
    } else {
      Path last = segments.get(segments.size() - 1);
      segmentNumber = number(last);
      segment = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE);
      segmentSize = repairTornTail(segment, last, repairs);
      // What we append to from now on is made durable through the journal, which does not cover this segment's
      // present bytes: after a kill -9 of a run without the journal they may still be in the page cache only.
      segment.force(false);
    }
    if (journalEnabled) {
      if (newestGeneration < 0) {
        // New, or of another size: zeros written and fsync'd, renamed into place, directory fsync'd, all before
        // the first record is written to it.
        DurableFiles.writeZeroFilledAtomically(journalFile, journalBytes);
        newestGeneration = 0;
      }
      WriteAheadJournal j = WriteAheadJournal.open(journalFile, newestGeneration + 1);
      journal = j;
      writeback = new SegmentWriteback("warden-ledger-writeback-" + dir.getFileName());
      // Everything the old generation held is durable in the segments now (replayJournal forced them).
      j.startGeneration(segmentNumber, segmentSize);
      j.force();
    }
    Path cp = dir.resolve(CHECKPOINTS);
    boolean created = !Files.exists(cp);
    checkpoints = FileChannel.open(cp, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    repairTornTail(checkpoints, cp, repairs);
    if (created) {
      DurableFiles.syncDirectory(dir);
    }
    return new Recovery(repairs);
  }

  /** What the journal gave back to one segment. */
  private static final class Restored {
    long bytes;
    long from = Long.MAX_VALUE;
    long to;
    int records;
    boolean created;
  }

  /**
   * Writes the batches of the journal's current generation back into their segments where a crash lost them, then
   * fdatasyncs every segment the generation covers (also those that lost nothing: after a kill -9 what was read back
   * may still be in the page cache only). Bytes a segment already holds must be the journal's, or zero (a block the
   * file system had allocated but not yet written when the power went): any other difference means the segment was
   * changed after it was written, and the ledger refuses to open rather than overwrite it. Returns the newest
   * generation in the journal file.
   */
  private long replayJournal(FileChannel journalChannel, List<String> repairs) throws IOException {
    Map<Integer, FileChannel> channels = new TreeMap<>();
    Map<Integer, Restored> restored = new TreeMap<>();
    List<Path> existing = segments(dir);
    int[] highest = {existing.isEmpty() ? 0 : number(existing.get(existing.size() - 1))};
    try {
      WriteAheadJournal.Scan scan = WriteAheadJournal.read(journalChannel, r -> {
        FileChannel ch = channels.get(r.segment());
        Restored done = restored.computeIfAbsent(r.segment(), n -> new Restored());
        if (ch == null) {
          Path p = dir.resolve(segmentName(r.segment()));
          if (Files.exists(p)) {
            ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
          } else if (r.segment() > highest[0] && r.offset() == 0) {
            // A crash right after a roll took the new segment's directory entry with it.
            ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            highest[0] = r.segment();
            done.created = true;
          } else {
            throw damaged(r, "the segment file is missing");
          }
          channels.put(r.segment(), ch);
        }
        restore(ch, r, done);
      });
      for (FileChannel ch : channels.values()) {
        ch.force(false);
      }
      if (restored.values().stream().anyMatch(r -> r.created)) {
        DurableFiles.syncDirectory(dir);
      }
      for (Map.Entry<Integer, Restored> e : restored.entrySet()) {
        Restored r = e.getValue();
        if (r.bytes > 0 || r.created) {
          repairs.add(JOURNAL + ": " + (r.created ? "recreated " + segmentName(e.getKey()) + " and " : "")
              + "restored " + r.bytes + " bytes of " + segmentName(e.getKey()) + " (offsets " + r.from + ".." + r.to
              + ", " + r.records + " journal records of generation " + scan.generation()
              + ") that a crash lost before the segment was fsync'd");
        }
      }
      return scan.newestGeneration();
    } finally {
      for (FileChannel ch : channels.values()) {
        try {
          ch.close();
        } catch (IOException e) {
          // closing after force: nothing is lost
        }
      }
    }
  }

  /** Writes one journal record back into its segment where the segment lacks it; see {@link #replayJournal}. */
  private void restore(FileChannel ch, WriteAheadJournal.Entry r, Restored done) throws IOException {
    byte[] want = r.payload();
    if (want.length == 0) {
      return; // a generation's marker: nothing to write
    }
    long size = ch.size();
    if (r.offset() > size) {
      throw damaged(r, "the segment ends at " + size + ", before the record starts: bytes " + size + ".." + r.offset()
          + ", durable before this record was written, are missing");
    }
    int present = (int) Math.min(want.length, size - r.offset());
    ByteBuffer have = ByteBuffer.allocate(present);
    WriteAheadJournal.readFully(ch, have, r.offset());
    long missing = want.length - present;
    for (int i = 0; i < present; i++) {
      byte b = have.get(i);
      if (b != want[i]) {
        if (b != 0) {
          throw damaged(r, String.format("at byte %d the segment has 0x%02x where the journal has 0x%02x",
              r.offset() + i, b & 0xff, want[i] & 0xff));
        }
        missing++;
      }
    }
    if (missing > 0) {
      ByteBuffer b = ByteBuffer.wrap(want);
      while (b.hasRemaining()) {
        ch.write(b, r.offset() + b.position());
      }
      done.bytes += missing;
      done.from = Math.min(done.from, r.offset());
      done.to = Math.max(done.to, r.offset() + want.length);
      done.records++;
    }
  }

  private IllegalStateException damaged(WriteAheadJournal.Entry r, String why) {
    return new IllegalStateException("ledger " + dir + " is damaged: " + segmentName(r.segment()) + " disagrees with "
        + JOURNAL + " (record of generation " + r.generation() + " at journal offset " + r.journalOffset()
        + " for segment offsets " + r.offset() + ".." + (r.offset() + r.payload().length) + "): " + why
        + "; the segment was changed after it was written. Refusing to overwrite it or to append "
        + "(run: java -jar warden-audit-ledger.jar verify --dir " + dir + ")");
  }

  /**
   * Cuts an unterminated last line. Every acknowledged line ends with its newline (the newline is written with the
   * line, in the same batch, before the fsync that precedes any acknowledgement), so bytes after the last newline
   * were never acknowledged: a write cut short by a crash. Returns the repaired size.
   */
  private static long repairTornTail(FileChannel ch, Path file, List<String> repairs) throws IOException {
    long size = ch.size();
    long keep = size;
    ByteBuffer one = ByteBuffer.allocate(8192);
    while (keep > 0) {
      int n = (int) Math.min(one.capacity(), keep);
      one.clear().limit(n);
      long at = keep - n;
      while (one.hasRemaining()) {
        if (ch.read(one, at + one.position()) < 0) {
          throw new IOException(file + " shrank while being repaired");
        }
      }
      int i = n - 1;
      while (i >= 0 && one.get(i) != '\n') {
        i--;
      }
      if (i >= 0) {
        keep = at + i + 1;
        break;
      }
      keep = at;
    }
    if (keep < size) {
      ch.truncate(keep);
      ch.force(true);
      repairs.add(file.getFileName() + ": cut a torn trailing line of " + (size - keep)
          + " bytes at offset " + keep + " (a write interrupted by a crash, never acknowledged)");
    }
    ch.position(keep);
    return keep;
  }

  private void startSegment(int number) throws IOException {
    Path p = dir.resolve(segmentName(number));
    FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    DurableFiles.syncDirectory(dir);
    segment = ch;
    segmentNumber = number;
    segmentSize = 0;
  }

  public static String segmentName(int number) {
    return String.format("segment-%06d.jsonl", number);
  }

  @Override
  public void write(List<byte[]> lines) throws IOException {
    try {
      writeBatch(lines);
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  private void writeBatch(List<byte[]> lines) throws IOException {
    FileChannel ch = requireOpen();
    long total = 0;
    for (byte[] l : lines) {
      total += l.length + 1;
    }
    if (segmentSize > 0 && segmentSize + total > maxSegmentBytes) {
      // Roll: the finished segment is forced now, the new one (and its directory entry) on creation.
      makeSegmentDurable(false);
      ch.close();
      startSegment(segmentNumber + 1);
      ch = requireOpen();
    }
    WriteAheadJournal j = journal;
    boolean journaled = j != null && total <= j.maxPayload();
    int head = journaled ? WriteAheadJournal.HEADER : 0;
    long room = journaled ? WriteAheadJournal.recordSize(total) : total;
    if (room > Integer.MAX_VALUE - 8) {
      throw new IOException("a batch of " + total + " bytes (expected: < 2 GiB)");
    }
    if (buffer.capacity() < room) {
      buffer = ByteBuffer.allocateDirect((int) Math.max(room, Math.min(Integer.MAX_VALUE - 8, buffer.capacity() * 2L)));
    }
    buffer.clear().position(head);
    for (byte[] l : lines) {
      buffer.put(l).put((byte) '\n');
    }
    if (j != null) {
      if (!journaled) {
        bypassedJournal = true; // larger than the whole journal: this batch is made durable in its segment
      } else {
        if (!j.fits(total)) {
          // Full: everything the journal holds goes durable in its segment, then the journal starts over.
          makeSegmentDurable(true);
        }
        j.append(buffer, (int) total, segmentNumber, segmentSize);
      }
    }
    buffer.limit(head + (int) total).position(head);
    while (buffer.hasRemaining()) {
      ch.write(buffer);
    }
    segmentSize += total;
    segmentDirty = true;
    SegmentWriteback w = writeback;
    if (w != null && (unrequestedBytes += total) >= SegmentWriteback.THRESHOLD_BYTES) {
      w.request(ch);
      unrequestedBytes = 0;
    }
  }

  /**
   * fdatasyncs the segment if bytes were written to it since it last was; after that the journal's records are
   * all durable in their segments, so the journal starts a new generation (also when nothing was forced, if
   * {@code restartJournal}).
   */
  private void makeSegmentDurable(boolean restartJournal) throws IOException {
    boolean forced = false;
    if (segmentDirty) {
      SegmentWriteback w = writeback;
      if (w != null) {
        w.force(requireOpen()); // after a background fdatasync in flight, and failing if one failed
      } else {
        requireOpen().force(false);
      }
      unrequestedBytes = 0;
      segmentForces++;
      segmentDirty = false;
      forced = true;
    }
    WriteAheadJournal j = journal;
    if (j != null && (forced || restartJournal)) {
      j.startGeneration(segmentNumber, segmentSize);
    }
  }

  @Override
  public void sync() throws IOException {
    try {
      WriteAheadJournal j = journal;
      if (j == null || bypassedJournal) {
        // force(false): data plus the metadata needed to read it back (the file size), i.e. fdatasync.
        makeSegmentDurable(false);
        bypassedJournal = false;
      } else {
        SegmentWriteback w = writeback;
        if (w != null) {
          w.check();
        }
        j.force();
        journalForces++;
      }
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /**
   * Appends a checkpoint line and forces it. With the journal, the segment is fdatasync'd first, so that the
   * entries a checkpoint covers are durable in the segment files themselves (not only in the journal): a verifier
   * run on the directory after a power cut, before the ledger reopened and replayed the journal, then never sees a
   * checkpoint covering entries that are missing.
   */
  @Override
  public void writeCheckpoint(byte[] line) throws IOException {
    FileChannel ch = checkpoints;
    if (ch == null) {
      throw new IllegalStateException("store not open");
    }
    try {
      makeSegmentDurable(false);
      ByteBuffer b = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(false);
      checkpointForces++;
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /**
   * Where the ledger stands in its files: the entry written next goes at {@code offset} of segment file
   * {@code segment} (or at the start of a later one), and {@code checkpoints.jsonl} is {@code checkpointsEnd} bytes
   * long. Asked by the writer thread between writes.
   */
  public record Position(String segment, long offset, long checkpointsEnd) {}

  /** See {@link Position}; only between writes, on the thread that writes. */
  public Position position() throws IOException {
    FileChannel cp = checkpoints;
    if (cp == null || segment == null) {
      throw new IllegalStateException("store not open");
    }
    return new Position(segmentName(segmentNumber), segmentSize, cp.size());
  }

  /** fdatasyncs of the journal so far (one per {@link #sync} with the journal). */
  public long journalForces() {
    return journalForces;
  }

  /** fdatasyncs of segment files so far (every sync without the journal; rolls, checkpoints, full journal). */
  public long segmentForces() {
    return segmentForces;
  }

  /** Background fdatasyncs of segment files so far (with the journal; see SegmentWriteback). */
  public long segmentWritebacks() {
    SegmentWriteback w = writeback;
    return w == null ? 0 : w.forces();
  }

  /** fdatasyncs of the checkpoints file so far. */
  public long checkpointForces() {
    return checkpointForces;
  }

  /** Whether this store writes through the journal (after {@link #open}). */
  public boolean journaled() {
    return journal != null;
  }

  @Override
  public void readEntries(String chain, LineSink sink) throws IOException {
    readEntries(dir, sink);
  }

  /** Reads every entry line of the ledger in {@code dir}; a trailing unterminated line is passed on as it is. */
  public static void readEntries(Path dir, LineSink sink) throws IOException {
    for (Path p : segments(dir)) {
      readLines(p, sink);
    }
  }

  @Override
  public void readCheckpoints(String chain, LineSink sink) throws IOException {
    Path p = dir.resolve(CHECKPOINTS);
    if (Files.exists(p)) {
      readLines(p, sink);
    }
  }

  /** Passes each line of {@code file} (without its newline) to {@code sink}, the last one even if unterminated. */
  public static void readLines(Path file, LineSink sink) throws IOException {
    byte[] data = Files.readAllBytes(file);
    int start = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] == '\n') {
        sink.line(data, start, i - start);
        start = i + 1;
      }
    }
    if (start < data.length) {
      sink.line(data, start, data.length - start);
    }
  }

  /** The segment files in {@code dir} in order. */
  public static List<Path> segments(Path dir) throws IOException {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "segment-*.jsonl")) {
      for (Path p : ds) {
        if (SEGMENT.matcher(p.getFileName().toString()).matches()) {
          found.add(p);
        }
      }
    }
    found.sort((a, b) -> Integer.compare(number(a), number(b)));
    return found;
  }

  private static int number(Path segment) {
    Matcher m = SEGMENT.matcher(segment.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a segment file: " + segment);
    }
    return Integer.parseInt(m.group(1));
  }

  private FileChannel requireOpen() {
    FileChannel ch = segment;
    if (ch == null) {
      throw new IllegalStateException("store not open");
    }
    return ch;
  }

  /**
   * Closes the files. Unless a write or force failed, the segment is fdatasync'd first and the journal left holding
   * a fresh generation, so the next open has nothing to replay. After a failure nothing is forced: the ledger failed
   * closed, and the next open replays the journal.
   */
  @Override
  public void close() throws IOException {
    IOException first = null;
    SegmentWriteback w = writeback;
    if (w != null) {
      w.close(); // the final fdatasync below is the writer's
    }
    if (!failed && segment != null) {
      try {
        makeSegmentDurable(false);
        WriteAheadJournal j = journal;
        if (j != null) {
          j.force();
        }
      } catch (IOException e) {
        first = e;
      }
    }
    for (AutoCloseable c : new AutoCloseable[] {segment, checkpoints, journal}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          if (first == null) {
            first = e instanceof IOException io ? io : new IOException(e);
          }
        }
      }
    }
    segment = null;
    checkpoints = null;
    journal = null;
    if (first != null) {
      throw first;
    }
  }
}
