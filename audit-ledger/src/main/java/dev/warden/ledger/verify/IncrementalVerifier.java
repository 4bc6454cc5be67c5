package dev.warden.ledger.verify;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.store.SegmentFileStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * Verifies one ledger directory again and again, reading only what is new since the last intact reading: for a
 * service that checks its own ledger every hour while the ledger grows without end. A full reading of a year of
 * ledger takes hours; this reads the segment the last reading ended in, and any after it.
 *
 * <p>Each reading remembers where the last segment it read began: the verifier's state there (the chain's head,
 * the Merkle tree's right edge, the newest checkpoint), where it was in {@code checkpoints.jsonl}, and a stamp of
 * each earlier segment (size, inode, and change time, which ordinary tools cannot set back). The next reading goes
 * on from there if every earlier segment still has its stamp and the checkpoints file is the same file, at least as
 * long; otherwise, and after any broken verdict, it reads everything. What it cannot see: a change to an earlier
 * segment that keeps size, inode and change time (which takes setting the system clock, or writing the block
 * device), or a change to the part of {@code checkpoints.jsonl} already read. A full reading sees both, so a service
 * still runs one now and then ({@link #verifyFully}); an auditor's verification is always full
 * ({@link LedgerVerifier#verify(Path, VerifyOptions)}).
 *
 * <p>Holds a few kilobytes between readings, whatever the ledger's length. One reading at a time (readings are
 * serialized).
 */
public final class IncrementalVerifier {
  private final Path dir;
  private final VerifyOptions options;
  private @Nullable Point resume;

  /** What one reading did. */
  public record Reading(VerificationResult result, boolean full, long entriesRead, @Nullable String fullBecause) {
    public Reading {
      requireNonNull(result, "result");
    }
  }

  public IncrementalVerifier(Path dir, VerifyOptions options) {
    this.dir = requireNonNull(dir, "dir");
    this.options = requireNonNull(options, "options");
  }

  /**
   * Verifies the ledger, from where the last intact reading's final segment began if nothing before it changed,
   * otherwise from genesis (the reading then says why in {@link Reading#fullBecause()}).
   *
   * @throws CancellationException if the pacer was interrupted (the interrupt flag is set); the next reading goes
   *     on from the same point as this one would have
   * @throws UncheckedIOException if the ledger cannot be read
   */
  public synchronized Reading verify() {
    Point from = resume;
    if (from == null) {
      return full("no earlier intact reading to go on from");
    }
    String changed = changedBefore(from);
    if (changed != null) {
      return full(changed);
    }
    return read(from, null);
  }

  /** Verifies the whole ledger from genesis, as {@link LedgerVerifier#verify(Path, VerifyOptions)} does. */
  public synchronized Reading verifyFully() {
    return full("asked for");
  }

  private Reading full(String because) {
    return read(null, because);
  }

  private Reading read(@Nullable Point from, @Nullable String fullBecause) {
    Mark[] last = {null};
    VerificationResult result;
    try {
      result = LedgerVerifier.run(dir, options, from, p -> last[0] = p);
    } catch (IOException e) {
      resume = null;
      throw new UncheckedIOException("could not read ledger " + dir + ": " + e.getMessage(), e);
    } catch (CancellationException e) {
      throw e; // the point is left as it was: nothing here changed it
    } catch (RuntimeException e) {
      resume = null;
      throw e;
    }
    Mark mark = last[0];
    resume = result.ok() && mark != null ? mark.point() : null;
    long start = from == null ? 0 : from.state().size();
    long read = result instanceof VerificationResult.Intact intact ? intact.entries() - start : -1;
    return new Reading(result, from == null, read, fullBecause);
  }

  /** Why the files before {@code from} cannot be trusted to be as they were read, or null if they can. */
  private @Nullable String changedBefore(Point from) {
    List<Path> segments;
    try {
      segments = SegmentFileStore.segments(dir);
      Path checkpoints = dir.resolve(SegmentFileStore.CHECKPOINTS);
      BasicFileAttributes cp = Files.exists(checkpoints)
          ? Files.readAttributes(checkpoints, BasicFileAttributes.class) : null;
      if (!Objects.equals(cp == null ? null : cp.fileKey(), from.checkpointsFile())) {
        return SegmentFileStore.CHECKPOINTS + " was replaced";
      }
      if ((cp == null ? 0 : cp.size()) < from.checkpointStart()) {
        return SegmentFileStore.CHECKPOINTS + " is shorter than when it was last read";
      }
      int n = from.before().size();
      for (int i = 0; i < Math.min(n, segments.size()); i++) {
        Stamp was = from.before().get(i);
        Path seg = segments.get(i);
        if (!seg.getFileName().toString().equals(was.name())) {
          return "segment " + was.name() + " is no longer where it was (found " + seg.getFileName() + ")";
        }
        if (!Stamp.of(seg).equals(was)) {
          return "segment " + was.name() + " changed since it was read (size, inode or change time)";
        }
      }
      if (segments.size() <= n) {
        return "there are fewer segments than when the ledger was last read";
      }
      if (!segments.get(n).getFileName().toString().equals(from.segment())) {
        return "segment " + from.segment() + " is no longer where it was";
      }
      return null;
    } catch (NoSuchFileException e) {
      return "a file read before is gone: " + e.getFile();
    } catch (IOException e) {
      return "could not check the files read before: " + e.getMessage();
    }
  }

  /**
   * Where a reading can go on: the verifier's state at the start of segment {@code segment}, what the segments
   * before it looked like when read, and the next checkpoint line then.
   */
  record Point(List<Stamp> before, String segment, ChainVerifier.Snapshot state, long checkpointStart,
      int checkpointLines, @Nullable Object checkpointsFile) {}

  /**
   * A point as a reading passes it: {@code stamps} is the reading's own list, still being filled, of which the first
   * {@code segments} belong to the point. Copied out only for the last mark, once the reading is done, so that a
   * reading of many segments does not copy the list at each.
   */
  record Mark(List<Stamp> stamps, int segments, Point without) {
    Point point() {
      return new Point(List.copyOf(stamps.subList(0, segments)), without.segment(), without.state(),
          without.checkpointStart(), without.checkpointLines(), without.checkpointsFile());
    }
  }

  /** A segment file as found before it was read. {@code changed}: the inode's change time. */
  record Stamp(String name, long size, @Nullable Object fileKey, FileTime changed) {
    static Stamp of(Path file) throws IOException {
      BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class);
      FileTime changed = basic.lastModifiedTime();
      try {
        // ctime: set by the kernel on every change of content or metadata, and not settable from user space.
        Map<String, Object> unix = Files.readAttributes(file, "unix:ctime");
        if (unix.get("ctime") instanceof FileTime ctime) {
          changed = ctime;
        }
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        // no unix view (not Linux or macOS): the modification time is the best there is
      }
      return new Stamp(file.getFileName().toString(), basic.size(), basic.fileKey(), changed);
    }
  }

  /** The file's identity (device and inode where the platform has them), or null if it does not exist. */
  static @Nullable Object fileKey(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }
}
