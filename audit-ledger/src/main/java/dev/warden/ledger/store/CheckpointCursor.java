package dev.warden.ledger.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code checkpoints.jsonl} forwards one line at a time, so that the verifier (and the ledger when it opens)
 * can walk it in step with the entries instead of holding it: a year of ledger, with a checkpoint a second, is some
 * 30 million lines.
 *
 * <p>Reads the complete lines present when opened and nothing appended after (the gateway verifies its own ledger
 * while it keeps writing). A line counts only once its newline is there; the bytes after the last newline are a
 * write cut short by a crash, reported by {@link #tornBytes()}. Memory is one read buffer and at most
 * {@link #MAX_LINE} bytes of line: a longer line is returned cut at that length (see {@link Line#whole()}), since no
 * checkpoint comes near it. Not thread-safe.
 */
public final class CheckpointCursor implements Closeable {
  /** The longest line kept whole; a signed checkpoint is some 350 bytes. */
  public static final int MAX_LINE = 64 * 1024;
  private static final int CHUNK = 16 * 1024;

  /**
   * One line, without its newline.
   *
   * @param number 1-based line number
   * @param bytes the line, or its first {@link #MAX_LINE} bytes
   * @param length the line's length in the file
   * @param start the file offset of its first byte
   */
  public record Line(int number, byte[] bytes, long length, long start) {
    public boolean whole() {
      return bytes.length == length;
    }
  }

  private final @Nullable FileChannel channel;
  private final long end; // just past the last newline when opened
  private final long tornBytes;
  private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
  private long position; // file offset of buffer's limit
  private int number;

  private CheckpointCursor(@Nullable FileChannel channel, long end, long tornBytes, long start, int linesBefore) {
    this.channel = channel;
    this.end = end;
    this.tornBytes = tornBytes;
    this.position = start;
    this.number = linesBefore;
    buffer.limit(0);
  }

  /** Opens {@code file}; a missing file reads as empty. */
  public static CheckpointCursor open(Path file) throws IOException {
    return open(file, 0, 0);
  }

  /**
   * Opens {@code file} to read from offset {@code start}, the first byte of line {@code linesBefore + 1} (as
   * {@link Line#start()} gave it in an earlier reading).
   *
   * @throws IOException if the file no longer has a line boundary at {@code start} (it shrank)
   */
  public static CheckpointCursor open(Path file, long start, int linesBefore) throws IOException {
    if (start < 0 || linesBefore < 0) {
      throw new IllegalArgumentException("start " + start + ", linesBefore " + linesBefore + " (expected: >= 0)");
    }
    if (!Files.exists(file)) {
      if (start > 0) {
        throw new IOException(file + " is gone (expected: at least " + start + " bytes)");
      }
      return new CheckpointCursor(null, 0, 0, 0, 0);
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long size = ch.size();
      long end = SegmentLines.lastNewlineBefore(ch, size) + 1;
      if (start > end) {
        throw new IOException(file + " has " + end + " bytes of whole lines (expected: at least " + start + ")");
      }
      return new CheckpointCursor(ch, end, size - end, start, linesBefore);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The offset of the next line {@link #next()} returns, and the number of lines before it. */
  public long nextStart() {
    return position - buffer.remaining();
  }

  public int linesRead() {
    return number;
  }

  /** Bytes after the last complete line when opened (a torn write), not read. */
  public long tornBytes() {
    return tornBytes;
  }

  /** The next line, or null after the last. */
  public @Nullable Line next() throws IOException {
    long start = nextStart();
    byte[] line = new byte[0];
    long length = 0;
    while (true) {
      if (!buffer.hasRemaining() && !fill()) {
        return null; // only reached at a line start: every line before `end` has its newline
      }
      int from = buffer.position();
      int nl = indexOf(buffer.array(), from, buffer.limit());
      int to = nl < 0 ? buffer.limit() : nl;
      int keep = (int) Math.min(to - from, Math.max(0, MAX_LINE - length));
      if (keep > 0) {
        int had = line.length;
        line = Arrays.copyOf(line, had + keep);
        System.arraycopy(buffer.array(), from, line, had, keep);
      }
      length += to - from;
      if (nl >= 0) {
        buffer.position(nl + 1);
        return new Line(++number, line, length, start);
      }
      buffer.position(to);
    }
  }

  private boolean fill() throws IOException {
    if (channel == null || position >= end) {
      return false;
    }
    buffer.clear().limit((int) Math.min(CHUNK, end - position));
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("checkpoints file shrank while being read (expected: at least " + end + " bytes)");
      }
    }
    position += buffer.limit();
    buffer.flip();
    return true;
  }

  private static int indexOf(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
