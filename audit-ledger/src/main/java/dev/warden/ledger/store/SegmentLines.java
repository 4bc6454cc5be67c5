package dev.warden.ledger.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the complete lines of a segment or checkpoints file without loading the file: forwards in chunks with an
 * early stop, or only the first or the last line.
 *
 * <p>A line counts only once its newline is there. The ledger writes each line together with its newline, so a line
 * without one is either being appended right now or was torn by a crash and never acknowledged; skipping it is what
 * makes these reads safe beside a {@link dev.warden.ledger.Ledger} appending to the same file.
 */
public final class SegmentLines {
  private static final int CHUNK = 64 * 1024;

  private SegmentLines() {}

  /** Receives lines; {@code buf[off, off+len)} (no newline) is valid only during the call. */
  @FunctionalInterface
  public interface LineVisitor {
    /** Returns false to stop reading. */
    boolean line(byte[] buf, int off, int len) throws IOException;
  }

  /** Passes each complete line of {@code file} to {@code visitor}, in order, until it returns false. */
  public static void forEach(Path file, LineVisitor visitor) throws IOException {
    forEach(file, 0, visitor);
  }

  /**
   * Passes each complete line of {@code file} from offset {@code from} (the start of a line) to {@code visitor}, in
   * order, until it returns false.
   */
  public static void forEach(Path file, long from, LineVisitor visitor) throws IOException {
    if (from < 0) {
      throw new IllegalArgumentException("from " + from + " (expected: >= 0)");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.position(from);
      byte[] buf = new byte[CHUNK];
      int start = 0; // first byte of the current line
      int end = 0; // end of the bytes read
      int scan = 0; // where the search for the next newline resumes
      while (true) {
        while (scan < end) {
          if (buf[scan] == '\n') {
            if (!visitor.line(buf, start, scan - start)) {
              return;
            }
            start = scan + 1;
          }
          scan++;
        }
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, end - start);
          end -= start;
          scan -= start;
          start = 0;
        }
        if (end == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer (a large sealed body)
        }
        int n = ch.read(ByteBuffer.wrap(buf, end, buf.length - end));
        if (n < 0) {
          return; // what is left has no newline yet
        }
        end += n;
      }
    }
  }

  /** The first complete line of {@code file}, empty if it has none yet. */
  public static Optional<byte[]> first(Path file) throws IOException {
    byte[][] first = new byte[1][];
    forEach(file, (buf, off, len) -> {
      first[0] = Arrays.copyOfRange(buf, off, off + len);
      return false;
    });
    return Optional.ofNullable(first[0]);
  }

  /** The last complete line of {@code file}, read from the end; empty if it has none yet. */
  public static Optional<byte[]> last(Path file) throws IOException {
    return lastBefore(file, Long.MAX_VALUE);
  }

  /**
   * The last complete line of {@code file} that ends before offset {@code before} (its newline at {@code before - 1}
   * or earlier), read backwards; empty if there is none.
   */
  public static Optional<byte[]> lastBefore(Path file, long before) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long end = lastNewlineBefore(ch, Math.min(before, ch.size()));
      if (end < 0) {
        return Optional.empty();
      }
      long start = lastNewlineBefore(ch, end) + 1;
      long len = end - start;
      if (len > Integer.MAX_VALUE - 8) {
        throw new IOException(file + ": a line of " + len + " bytes at offset " + start + " (expected: < 2 GiB)");
      }
      ByteBuffer line = ByteBuffer.allocate((int) len);
      while (line.hasRemaining()) {
        if (ch.read(line, start + line.position()) < 0) {
          throw new IOException(file + " shrank while being read");
        }
      }
      return Optional.of(line.array());
    }
  }

  /**
   * The offset of the last newline before {@code before} in {@code ch}, or -1; reads backwards 8 KiB at a time (the
   * verifier uses it to find where a file's complete lines end).
   */
  public static long lastNewlineBefore(FileChannel ch, long before) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(8192);
    long to = before;
    while (to > 0) {
      long from = Math.max(0, to - chunk.capacity());
      chunk.clear().limit((int) (to - from));
      while (chunk.hasRemaining()) {
        if (ch.read(chunk, from + chunk.position()) < 0) {
          throw new IOException("file shrank while being read");
        }
      }
      for (int i = (int) (to - from) - 1; i >= 0; i--) {
        if (chunk.get(i) == '\n') {
          return from + i;
        }
      }
      to = from;
    }
    return -1;
  }
}
