package dev.warden.ledger.verify;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.checkpoint.PublicKeyRing;
import dev.warden.ledger.store.CheckpointCursor;
import dev.warden.ledger.store.SegmentFileStore;
import dev.warden.ledger.store.SegmentLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a ledger directory offline: every entry's form, sequence and chain link, every checkpoint's signature,
 * agreement between checkpoints (no fork) and between checkpoints and entries (nothing changed, nothing cut off).
 * Needs nothing but the JDK; the gateway's {@code warden ledger verify} and the compliance reports call it, and
 * {@link VerifyCommand} is the same thing from a shell.
 */
public final class LedgerVerifier {
  private LedgerVerifier() {}

  /** Verifies {@code dir} trusting the public keys in its own {@code keys/} folder (demo mode). */
  public static VerificationResult verify(Path dir) {
    return verify(dir, VerifyOptions.defaults());
  }

  /**
   * Verifies {@code dir}. Memory does not grow with the ledger: entries and checkpoints are both read as streams,
   * so a year of ledger verifies in the heap a day of it does. Calls {@code options.pacer()} before each entry.
   *
   * @throws java.util.concurrent.CancellationException if the pacer was interrupted (the interrupt flag is set)
   */
  public static VerificationResult verify(Path dir, VerifyOptions options) {
    requireNonNull(dir, "dir");
    requireNonNull(options, "options");
    try {
      return verifyOrThrow(dir, options);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read ledger " + dir + ": " + e.getMessage(), e);
    }
  }

  private static VerificationResult verifyOrThrow(Path dir, VerifyOptions options) throws IOException {
    return run(dir, options, null, null);
  }

  /**
   * One reading of {@code dir}: from genesis, or from {@code from} (a point an earlier reading passed, whose files
   * before it the caller found unchanged). {@code marks} is given the point at the start of each segment read, taken
   * before any of it is checked; the last one given before an intact verdict is where a later reading can go on. Its
   * stamps are only valid after the reading: the list is filled as the segments are read (one list for all marks, so
   * that a reading of many segments does not copy it at each).
   */
  static VerificationResult run(Path dir, VerifyOptions options, IncrementalVerifier.@Nullable Point from,
      @Nullable Consumer<IncrementalVerifier.Mark> marks) throws IOException {
    PublicKeyRing ring = trustedKeys(options);
    Path cpFile = dir.resolve(SegmentFileStore.CHECKPOINTS);
    ChainVerifier.History history = (size, beforeLine) -> firstOfSize(cpFile, size, beforeLine);
    ChainVerifier v = from == null ? ChainVerifier.forFiles(ring, options, history)
        : ChainVerifier.resume(ring, options, history, from.state());
    if (!Files.isDirectory(dir)) {
      return new VerificationResult.Broken("?", 0, "no ledger directory at " + dir, List.of());
    }
    if (options.trustKeysInLedgerDir()) {
      ring.addPemDirectory(dir.resolve("keys"));
      if (options.keys().isEmpty()) {
        v.note("note: signatures were checked with the public keys kept in " + dir.resolve("keys")
            + "; pass --public-key FILE for assurance independent of the ledger directory");
      }
    }

    // Neither file is held: the entries are streamed, and the checkpoints (one a second under traffic, some 30
    // million a year) are read in step with them, which works because a files ledger's sizes never go down.
    try (CheckpointCursor cursor = from == null ? CheckpointCursor.open(cpFile)
        : CheckpointCursor.open(cpFile, from.checkpointStart(), from.checkpointLines())) {
      if (cursor.tornBytes() > 0) {
        v.note(SegmentFileStore.CHECKPOINTS + " ends with an unterminated line of " + cursor.tornBytes()
            + " bytes (a write cut short by a crash; the ledger cuts it on its next open); ignored");
      }
      InStep checkpoints = new InStep(v, cursor);
      String tornSegment = verifySegments(dir, v, checkpoints, options.pacer(), from, marks);
      // The checkpoints past the last entry, or past a bad one: a bad checkpoint outranks a bad entry, and one that
      // signs more entries than there are means some were cut off.
      checkpoints.rest();
      if (tornSegment != null && !v.failed()) {
        v.note(tornSegment);
      }
      if (from != null) {
        v.note("incremental: entries 0-" + (from.state().size() - 1) + " were verified by earlier readings and"
            + " the " + from.before().size() + " segment(s) holding them are unchanged since; read from entry "
            + from.state().size() + " (" + from.segment() + ") on");
      }
      return v.finish();
    }
  }

  /** Checks the entries of every segment in order; returns the note on a torn last line, if any. */
  private static @Nullable String verifySegments(Path dir, ChainVerifier v, InStep checkpoints, Pacer pacer,
      IncrementalVerifier.@Nullable Point from, @Nullable Consumer<IncrementalVerifier.Mark> marks)
      throws IOException {
    List<Path> segments = SegmentFileStore.segments(dir);
    List<IncrementalVerifier.Stamp> stamps = new ArrayList<>();
    int first = 0;
    if (from != null) {
      first = from.before().size();
      stamps.addAll(from.before());
      if (segments.size() <= first || !segments.get(first).getFileName().toString().equals(from.segment())) {
        throw new IllegalStateException("segment " + from.segment() + " is no longer at position " + first
            + " (the caller checks the files before resuming)");
      }
    }
    Object checkpointsFile = IncrementalVerifier.fileKey(dir.resolve(SegmentFileStore.CHECKPOINTS));
    for (int s = first; s < segments.size(); s++) {
      Path seg = segments.get(s);
      if (marks != null) {
        ChainVerifier.Snapshot state = v.snapshot();
        if (state != null) {
          marks.accept(new IncrementalVerifier.Mark(stamps, s, new IncrementalVerifier.Point(List.of(),
              seg.getFileName().toString(), state, checkpoints.nextStart(), checkpoints.linesBefore(),
              checkpointsFile)));
        }
      }
      stamps.add(IncrementalVerifier.Stamp.of(seg)); // before it is read: a later change shows
      // Streamed in chunks, never read whole: the gateway verifies its own ledger in process, under a heap sized for
      // serving traffic, and a segment can be tens of megabytes.
      long[] consumed = {0};
      boolean[] stopped = {false};
      SegmentLines.forEach(seg, (buf, off, len) -> {
        consumed[0] += len + 1;
        pace(pacer);
        // Every checkpoint that signs the size this entry brings the chain to is checked before it.
        if (!checkpoints.upTo(v.position() + 1) || !v.entry(buf, off, len)) {
          stopped[0] = true;
          return false;
        }
        return true;
      });
      if (stopped[0]) {
        return null;
      }
      long unterminated = Files.size(seg) - consumed[0];
      if (unterminated > 0) {
        if (s == segments.size() - 1) {
          return seg.getFileName() + " ends with an unterminated line of " + unterminated
              + " bytes (a write cut short by a crash, never acknowledged; the ledger cuts it on its next open);"
              + " not counted";
        }
        v.fail(v.position(), seg.getFileName() + " ends without a newline but is not the last segment");
        return null;
      }
    }
    return null;
  }

  private static void pace(Pacer pacer) {
    try {
      pacer.entry();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("ledger verification interrupted");
    }
  }

  /**
   * {@code checkpoints.jsonl} read in step with the entries, one line ahead: the next checkpoint is checked once
   * the entries are about to reach its size.
   */
  private static final class InStep {
    private final ChainVerifier v;
    private final CheckpointCursor cursor;
    private CheckpointCursor.@Nullable Line next;
    private @Nullable Checkpoint nextCheckpoint;

    InStep(ChainVerifier v, CheckpointCursor cursor) {
      this.v = v;
      this.cursor = cursor;
    }

    /** Checks every further checkpoint that signs at most {@code size} entries. False once failed. */
    boolean upTo(long size) throws IOException {
      while (true) {
        if (next == null || nextCheckpoint == null) {
          next = cursor.next();
          if (next == null) {
            return true;
          }
          nextCheckpoint = v.parseCheckpoint(next);
          if (nextCheckpoint == null) {
            return false;
          }
        }
        if (nextCheckpoint.size() > size) {
          return true;
        }
        boolean ok = v.checkpoint(nextCheckpoint, next.bytes(), next.number());
        next = null;
        nextCheckpoint = null;
        if (!ok) {
          return false;
        }
      }
    }

    /** Checks the remaining checkpoints. */
    void rest() throws IOException {
      upTo(Long.MAX_VALUE);
    }

    /** Where the first checkpoint line not yet checked starts (the one held back, if any). */
    long nextStart() {
      return next != null ? next.start() : cursor.nextStart();
    }

    /** How many checkpoint lines come before {@link #nextStart()}. */
    int linesBefore() {
      return next != null ? next.number() - 1 : cursor.linesRead();
    }
  }

  /** For the fork check: the first line before {@code beforeLine} that signs {@code size}, read again. */
  private static ChainVerifier.@Nullable Signed firstOfSize(Path file, long size, int beforeLine) {
    try (CheckpointCursor c = CheckpointCursor.open(file)) {
      for (CheckpointCursor.Line l = c.next(); l != null && l.number() < beforeLine; l = c.next()) {
        Checkpoint cp = Checkpoint.parse(l.bytes()); // parsed once already, on the way to beforeLine
        if (cp.size() == size) {
          return new ChainVerifier.Signed(l.number(), cp);
        }
        if (cp.size() > size) {
          return null; // sizes up to beforeLine only grow
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + " again: " + e.getMessage(), e);
    }
  }

  /** The keys {@code options} trusts, in a ring of its own (the ledger directory's may be added). */
  static PublicKeyRing trustedKeys(VerifyOptions options) {
    PublicKeyRing ring = PublicKeyRing.empty();
    for (String id : options.keys().keyIds()) {
      ring.add(id, options.keys().get(id).orElseThrow());
    }
    return ring;
  }

  /**
   * Verifies a chain read back from a replica stream (a Kafka topic), where entries and checkpoints come
   * interleaved in write order; record by record, see {@link ReplicaStreamVerifier} for the rules and what it
   * keeps in memory.
   *
   * @param records the chain's records in write order; read once, up to the first failure
   */
  public static VerificationResult verifyRecords(String chain, Iterator<ChainRecord> records, VerifyOptions options) {
    requireNonNull(records, "records");
    ReplicaStreamVerifier stream = new ReplicaStreamVerifier(chain, options);
    while (records.hasNext() && stream.accept(records.next())) {
      // accept() is false once the verdict is known
    }
    return stream.finish();
  }

  /** {@link #verifyRecords(String, Iterator, VerifyOptions)} over a list already read. */
  public static VerificationResult verifyRecords(String chain, List<ChainRecord> records, VerifyOptions options) {
    return verifyRecords(chain, records.iterator(), options);
  }
}
