package dev.warden.ledger.query;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.LedgerEntry;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.store.SegmentFileStore;
import dev.warden.ledger.store.SegmentLines;
import dev.warden.ledger.verify.InclusionProof;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds entries in a ledger directory for the admin console's audit log: a filtered search, newest first and a page
 * at a time ({@link #search}), and one entry with its inclusion in a signed checkpoint ({@link #entry}).
 *
 * <p>Never reads the whole ledger into memory. A search reads segment files newest first and stops once it has a
 * page; it skips a segment without reading it when its first entry is already past the cursor or the end of the
 * time range, and stops at the first segment whose last entry is before the start of the time range. Those skips
 * rely on the chain rules ({@code seq} counts up, {@code time} never goes back), which the verifier checks. A segment
 * it reads is streamed forwards keeping only the newest matches it still needs.
 *
 * <p>Safe beside a {@link dev.warden.ledger.Ledger} appending to the same directory, in this process or another:
 * a line without its newline yet is not an entry (see {@link SegmentLines}), and checkpoints are written only after
 * the entries they cover. A search sees the entries that were complete when it read each file.
 *
 * <p>Reads; does not verify (the verifier does). A complete line that is not a valid entry fails the call with
 * {@link IllegalStateException} naming the file and line, rather than being skipped from an audit view.
 */
public final class LedgerSearch {
  private LedgerSearch() {}

  /**
   * The entries of the ledger in {@code dir} matching {@code query}, newest first.
   *
   * @throws UncheckedIOException if the files cannot be read
   * @throws IllegalStateException if a complete line is not a valid entry
   */
  public static SearchPage search(Path dir, LedgerQuery query) {
    requireNonNull(dir, "dir");
    requireNonNull(query, "query");
    try {
      return new Scan(query).run(SegmentFileStore.segments(dir));
    } catch (IOException e) {
      throw new UncheckedIOException("could not search ledger " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Entry {@code seq} of the ledger in {@code dir}, with the first checkpoint that covers it and the proof of its
   * inclusion there; empty if the ledger has no such entry (yet). Building the proof reads the entries up to that
   * checkpoint once, streaming, so its cost grows with {@code seq}; its memory does not.
   *
   * @throws IllegalArgumentException if {@code seq} is negative
   * @throws UncheckedIOException if the files cannot be read
   * @throws IllegalStateException if the line found is not a valid entry, or not entry {@code seq}
   */
  public static Optional<EntryDetail> entry(Path dir, long seq) {
    requireNonNull(dir, "dir");
    if (seq < 0) {
      throw new IllegalArgumentException("seq " + seq + " (expected: >= 0)");
    }
    try {
      Optional<LedgerEntry> found = find(SegmentFileStore.segments(dir), seq);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      LedgerEntry entry = found.get();
      Checkpoint covering = firstCheckpointCovering(dir.resolve(SegmentFileStore.CHECKPOINTS), seq);
      if (covering == null) {
        return Optional.of(new EntryDetail(entry, null));
      }
      InclusionProof proof = InclusionProof.prove(dir, seq, covering);
      boolean verified = Arrays.equals(proof.line(), entry.line()) && proof.verify(covering);
      return Optional.of(new EntryDetail(entry, new EntryDetail.Inclusion(covering, proof, verified)));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read ledger " + dir + ": " + e.getMessage(), e);
    }
  }

  /** One search: the matches found so far, newest first, and what it cost. */
  private static final class Scan {
    private final LedgerQuery query;
    private final EntryFilter filter;
    private final @Nullable Long before;
    // One more than a page: finding it is how a page knows whether another follows.
    private final int wanted;
    private final List<LedgerEntry> found = new ArrayList<>();
    private long scanned;

    Scan(LedgerQuery query) {
      this.query = query;
      this.filter = query.filter();
      this.before = query.beforeSeq();
      this.wanted = query.limit() + 1;
    }

    SearchPage run(List<Path> segments) throws IOException {
      for (int i = segments.size() - 1; i >= 0 && found.size() < wanted; i--) {
        Path segment = segments.get(i);
        Optional<byte[]> firstLine = SegmentLines.first(segment);
        if (firstLine.isEmpty()) {
          continue; // just started: no complete entry yet
        }
        LedgerEntry first = parse(segment, 1, firstLine.get());
        if ((before != null && first.seq() >= before)
            || (filter.to() != null && !first.time().isBefore(filter.to()))) {
          continue; // every entry here is past the cursor or the end of the range
        }
        if (filter.from() != null) {
          LedgerEntry last = parse(segment, -1, SegmentLines.last(segment).orElseThrow());
          if (last.time().isBefore(filter.from())) {
            break; // this segment and every older one end before the range starts
          }
        }
        read(segment);
        if (filter.from() != null && first.time().isBefore(filter.from())) {
          break; // the range starts in this segment
        }
      }
      List<LedgerEntry> page = found.size() > query.limit() ? found.subList(0, query.limit()) : found;
      Long next = found.size() > query.limit() ? page.getLast().seq() : null;
      return new SearchPage(page, next, scanned);
    }

    /** Streams one segment forwards, keeping its newest matches, as many as are still wanted. */
    private void read(Path segment) throws IOException {
      int room = wanted - found.size();
      ArrayDeque<LedgerEntry> newest = new ArrayDeque<>(Math.min(room, 64));
      long[] lineNo = {0};
      SegmentLines.forEach(segment, (buf, off, len) -> {
        lineNo[0]++;
        LedgerEntry e = parse(segment, lineNo[0], buf, off, len);
        scanned++;
        if ((before != null && e.seq() >= before) || (filter.to() != null && !e.time().isBefore(filter.to()))) {
          return false; // everything after this is too
        }
        if (filter.matches(e)) {
          if (newest.size() == room) {
            newest.removeFirst();
          }
          newest.addLast(e);
        }
        return true;
      });
      for (Iterator<LedgerEntry> it = newest.descendingIterator(); it.hasNext(); ) {
        found.add(it.next());
      }
    }
  }

  private static Optional<LedgerEntry> find(List<Path> segments, long seq) throws IOException {
    for (int i = segments.size() - 1; i >= 0; i--) {
      Path segment = segments.get(i);
      Optional<byte[]> firstLine = SegmentLines.first(segment);
      if (firstLine.isEmpty()) {
        continue;
      }
      long firstSeq = parse(segment, 1, firstLine.get()).seq();
      if (firstSeq > seq) {
        continue;
      }
      // Entries are numbered without gaps, so entry seq is line (seq - firstSeq) of this segment: only it is parsed.
      long target = seq - firstSeq;
      long[] lineNo = {-1};
      byte[][] line = new byte[1][];
      SegmentLines.forEach(segment, (buf, off, len) -> {
        if (++lineNo[0] == target) {
          line[0] = Arrays.copyOfRange(buf, off, off + len);
          return false;
        }
        return true;
      });
      if (line[0] == null) {
        return Optional.empty(); // past the end of the ledger
      }
      LedgerEntry e = parse(segment, target + 1, line[0]);
      if (e.seq() != seq) {
        throw new IllegalStateException(segment + " line " + (target + 1) + " holds seq " + e.seq()
            + " (expected: " + seq + ", since the segment starts at " + firstSeq
            + "); the ledger is damaged, run the verifier");
      }
      return Optional.of(e);
    }
    return Optional.empty();
  }

  /** The first checkpoint (in file order, so the oldest) whose size covers entry {@code seq}. */
  private static @Nullable Checkpoint firstCheckpointCovering(Path checkpoints, long seq) throws IOException {
    if (!Files.exists(checkpoints)) {
      return null;
    }
    Checkpoint[] covering = new Checkpoint[1];
    long[] lineNo = {0};
    SegmentLines.forEach(checkpoints, (buf, off, len) -> {
      lineNo[0]++;
      Checkpoint cp;
      try {
        cp = Checkpoint.parse(Arrays.copyOfRange(buf, off, off + len));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(checkpoints + " line " + lineNo[0] + " is not a checkpoint: " + e.getMessage()
            + "; run the verifier", e);
      }
      if (cp.size() > seq) {
        covering[0] = cp;
        return false;
      }
      return true;
    });
    return covering[0];
  }

  /** Parses a line; {@code lineNo} is 1-based, or -1 for "the last line". */
  private static LedgerEntry parse(Path segment, long lineNo, byte[] line) {
    return parse(segment, lineNo, line, 0, line.length);
  }

  private static LedgerEntry parse(Path segment, long lineNo, byte[] buf, int off, int len) {
    try {
      return LedgerEntry.parse(buf, off, len);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalStateException(segment + (lineNo < 0 ? " last line" : " line " + lineNo)
          + " is not a valid entry: " + e.getMessage() + "; run the verifier", e);
    }
  }
}
