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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The default store: JSON Lines segment files {@code segment-000001.jsonl}, {@code segment-000002.jsonl}, … and
 * {@code checkpoints.jsonl}, all in one directory holding one chain.
 *
 * <p>A new segment is started when the current one would pass {@code maxSegmentBytes}; a batch is never split, so
 * rolling is cheap. Creating a segment fsyncs the directory, since a file whose directory entry is lost on a power
 * cut takes its fsync'd contents with it.
 */
public final class SegmentFileStore implements LedgerStore {
  public static final String CHECKPOINTS = "checkpoints.jsonl";
  private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{6,})\\.jsonl");
  public static final long DEFAULT_MAX_SEGMENT_BYTES = 64L << 20;

  private final Path dir;
  private final long maxSegmentBytes;
  private @Nullable FileChannel segment;
  private int segmentNumber;
  private long segmentSize;
  private @Nullable FileChannel checkpoints;
  private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);

  public SegmentFileStore(Path dir) {
    this(dir, DEFAULT_MAX_SEGMENT_BYTES);
  }

  public SegmentFileStore(Path dir, long maxSegmentBytes) {
    if (maxSegmentBytes < 1024) {
      throw new IllegalArgumentException("maxSegmentBytes " + maxSegmentBytes + " (expected: >= 1024)");
    }
    this.dir = dir;
    this.maxSegmentBytes = maxSegmentBytes;
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
    List<Path> segments = segments(dir);
    if (segments.isEmpty()) {
      startSegment(1);
    } else {
      Path last = segments.get(segments.size() - 1);
      segmentNumber = number(last);
      segment = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE);
      segmentSize = repairTornTail(segment, last, repairs);
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
    FileChannel ch = requireOpen();
    long total = 0;
    for (byte[] l : lines) {
      total += l.length + 1;
    }
    if (segmentSize > 0 && segmentSize + total > maxSegmentBytes) {
      // Roll: the finished segment is forced now, the new one (and its directory entry) on creation.
      ch.force(false);
      ch.close();
      startSegment(segmentNumber + 1);
      ch = requireOpen();
    }
    if (buffer.capacity() < total) {
      buffer = ByteBuffer.allocateDirect((int) Math.max(total, buffer.capacity() * 2L));
    }
    buffer.clear();
    for (byte[] l : lines) {
      buffer.put(l).put((byte) '\n');
    }
    buffer.flip();
    while (buffer.hasRemaining()) {
      ch.write(buffer);
    }
    segmentSize += total;
  }

  @Override
  public void sync() throws IOException {
    // force(false): data plus the metadata needed to read it back (the file size), i.e. fdatasync.
    requireOpen().force(false);
  }

  @Override
  public void writeCheckpoint(byte[] line) throws IOException {
    FileChannel ch = checkpoints;
    if (ch == null) {
      throw new IllegalStateException("store not open");
    }
    ByteBuffer b = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
    while (b.hasRemaining()) {
      ch.write(b);
    }
    ch.force(false);
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

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (FileChannel ch : new FileChannel[] {segment, checkpoints}) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          if (first == null) {
            first = e;
          }
        }
      }
    }
    segment = null;
    checkpoints = null;
    if (first != null) {
      throw first;
    }
  }
}
