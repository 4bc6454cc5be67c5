package dev.warden.ledger.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The write-ahead journal of a {@link SegmentFileStore}: a file of fixed size, written full of zeros once, that each
 * batch is written to (one record, at the journal's own write position) before it goes to its segment. Making a
 * batch durable is then an fdatasync of this file, whose size never changes and whose blocks are all allocated, so
 * the file system commits no metadata for it; the growing segment is fdatasync'd only now and then. See
 * {@code audit-ledger/docs/adr/0003-write-ahead-journal.md}.
 *
 * <p>A record, all integers big-endian, padded with zeros to a multiple of 8 bytes:
 *
 * <pre>
 *  0  magic            4  "WJL" 0x01
 *  4  payload length   4  bytes (0 for a marker)
 *  8  generation       8  1, 2, …: one more each time the journal starts again at offset 0
 * 16  segment offset   8  where the payload starts in its segment
 * 24  segment number   4  segment-NNNNNN.jsonl
 * 28  CRC32C           4  of bytes 0..27 and the payload
 * 32  payload             the exact bytes written to the segment, newlines included
 * </pre>
 *
 * <p>A generation starts at offset 0 with a marker (no payload; it names the segment and its size, all of it
 * durable by then) and lasts until the segment is next fdatasync'd; so the records of the current generation are the
 * batches that may not be durable in their segment yet. Records of older generations further on in the file are
 * stale; a reader stops at the first record that is torn (bad CRC), stale (another generation) or absent.
 *
 * <p>Used by the store's writer thread only.
 */
final class WriteAheadJournal implements AutoCloseable {
  static final String FILE = "journal.wal";
  static final int MAGIC = 0x574A4C01;
  static final int HEADER = 32;
  private static final long MAX_GENERATION = 1L << 62;

  private final FileChannel ch;
  private final long capacity;
  private final CRC32C crc = new CRC32C();
  private final ByteBuffer marker = ByteBuffer.allocateDirect(HEADER);
  private long generation;
  private long position;

  private WriteAheadJournal(FileChannel ch, long capacity, long generation) {
    this.ch = ch;
    this.capacity = capacity;
    this.generation = generation;
  }

  /**
   * Opens an existing journal file for writing; the first {@link #startGeneration} uses {@code generation}, which
   * must be newer than every generation in the file ({@link Scan#newestGeneration()} + 1).
   */
  static WriteAheadJournal open(Path file, long generation) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new WriteAheadJournal(ch, ch.size(), generation - 1);
  }

  /** The record size of a payload of {@code length} bytes: header, payload, zeros up to a multiple of 8. */
  static long recordSize(long length) {
    return (HEADER + length + 7) & ~7L;
  }

  /** The largest payload a record can carry: the whole journal after the generation's marker. */
  long maxPayload() {
    return capacity - 2L * HEADER;
  }

  /** Whether a record of {@code length} payload bytes fits after the current write position. */
  boolean fits(long length) {
    return position + recordSize(length) <= capacity;
  }

  long generation() {
    return generation;
  }

  long position() {
    return position;
  }

  long capacity() {
    return capacity;
  }

  /**
   * Starts a new generation at offset 0 with a marker saying that {@code segment} is durable up to {@code size}
   * bytes. The caller must have made every batch of the current generation durable in its segment first. The
   * marker is written, not forced: until the next {@link #force} a crash leaves the previous generation in place,
   * which recovery finds already in its segments.
   */
  void startGeneration(int segment, long size) throws IOException {
    generation++;
    position = 0;
    writeRecord(marker, 0, segment, size);
  }

  /**
   * Writes the record whose payload is {@code buf[HEADER, HEADER + length)} at the write position: fills in the
   * header {@code buf[0, HEADER)}, pads with zeros (the buffer must have room for {@link #recordSize}). Leaves the
   * buffer's position and limit alone. The caller checked {@link #fits}.
   */
  void append(ByteBuffer buf, int length, int segment, long offset) throws IOException {
    if (!fits(length)) {
      throw new IllegalStateException("journal record of " + length + " bytes at " + position + " does not fit in "
          + capacity);
    }
    writeRecord(buf, length, segment, offset);
  }

  private void writeRecord(ByteBuffer buf, int length, int segment, long offset) throws IOException {
    int size = (int) recordSize(length);
    buf.putInt(0, MAGIC).putInt(4, length).putLong(8, generation).putLong(16, offset).putInt(24, segment);
    crc.reset();
    crc.update(buf.slice(0, 28));
    crc.update(buf.slice(HEADER, length));
    buf.putInt(28, (int) crc.getValue());
    for (int i = HEADER + length; i < size; i++) {
      buf.put(i, (byte) 0);
    }
    ByteBuffer record = buf.slice(0, size);
    long at = position;
    while (record.hasRemaining()) {
      at += ch.write(record, at);
    }
    position += size;
  }

  /** fdatasync: the file's size never changes, so this writes the dirty pages and no inode metadata. */
  void force() throws IOException {
    ch.force(false);
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }

  // ------------------------------------------------------------------------------------------------ reading

  /** One record read back; a marker has an empty payload. */
  record Entry(long journalOffset, long generation, int segment, long offset, byte[] payload) {}

  @FunctionalInterface
  interface Visitor {
    void record(Entry entry) throws IOException;
  }

  /**
   * What {@link #read} found: {@code records} records of {@code generation} (0: none) from offset 0 up to
   * {@code end}, and the newest generation of any intact record anywhere in the file, stale ones included.
   */
  record Scan(int records, long end, long generation, long newestGeneration) {}

  /**
   * Passes the records of the journal's current generation to {@code visitor} in order: from offset 0, while each
   * is intact (magic, bounds, CRC) and of the generation of the first. Then looks at every 8-byte boundary after
   * them for intact records of older or newer generations (stale ones, or a newer one whose marker at offset 0 a
   * crash tore), so that the next generation can be newer than all of them.
   */
  static Scan read(FileChannel ch, Visitor visitor) throws IOException {
    long size = ch.size();
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    long at = 0;
    long generation = 0;
    int records = 0;
    while (true) {
      Entry e = readRecord(ch, at, size, header);
      if (e == null || (records > 0 && e.generation() != generation)) {
        break;
      }
      generation = e.generation();
      visitor.record(e);
      records++;
      at += recordSize(e.payload().length);
    }
    long newest = Math.max(generation, newestGeneration(ch, at, size, header));
    return new Scan(records, at, generation, newest);
  }

  private static long newestGeneration(FileChannel ch, long from, long size, ByteBuffer header) throws IOException {
    long newest = 0;
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    for (long base = from; base + HEADER <= size; base += chunk.capacity()) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), size - base));
      readFully(ch, chunk, base);
      for (int i = 0; i + 4 <= chunk.limit(); i += 8) {
        if (chunk.getInt(i) == MAGIC) {
          Entry e = readRecord(ch, base + i, size, header);
          if (e != null) {
            newest = Math.max(newest, e.generation());
          }
        }
      }
    }
    return newest;
  }

  /** The intact record at {@code at}, of whatever generation, or null. */
  static @Nullable Entry readAt(FileChannel ch, long at) throws IOException {
    return readRecord(ch, at, ch.size(), ByteBuffer.allocate(HEADER));
  }

  /** The intact record at {@code at}, or null: no magic, implausible header, past the end, or a CRC mismatch. */
  private static @Nullable Entry readRecord(FileChannel ch, long at, long size, ByteBuffer header) throws IOException {
    if (at + HEADER > size) {
      return null;
    }
    header.clear();
    readFully(ch, header, at);
    int length = header.getInt(4);
    long generation = header.getLong(8);
    long offset = header.getLong(16);
    int segment = header.getInt(24);
    if (header.getInt(0) != MAGIC || length < 0 || length > size - at - HEADER || generation < 1
        || generation >= MAX_GENERATION || offset < 0 || segment < 1) {
      return null;
    }
    byte[] payload = new byte[length];
    readFully(ch, ByteBuffer.wrap(payload), at + HEADER);
    CRC32C crc = new CRC32C();
    crc.update(header.array(), 0, 28);
    crc.update(payload);
    if ((int) crc.getValue() != header.getInt(28)) {
      return null;
    }
    return new Entry(at, generation, segment, offset, payload);
  }

  static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
    int start = buf.position();
    while (buf.hasRemaining()) {
      if (ch.read(buf, at + buf.position() - start) < 0) {
        throw new IOException("file ended at " + (at + buf.position() - start) + " while reading");
      }
    }
  }
}
