package dev.warden.ledger.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Crash images of a ledger directory for tests: what a kill -9 or a power cut leaves of it. */
public final class JournalImages {
  private JournalImages() {}

  /**
   * Copies the files of {@code from} and its subdirectories ({@code keys/}) to {@code to} while a store may be
   * writing to them: what a kill -9 leaves, the page cache included.
   */
  public static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.filter(f -> !f.startsWith(to)).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** The records of the journal's current generation in {@code dir}, the marker first. */
  static List<WriteAheadJournal.Entry> currentGeneration(Path dir) throws IOException {
    List<WriteAheadJournal.Entry> out = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(dir.resolve(SegmentFileStore.JOURNAL), StandardOpenOption.READ)) {
      WriteAheadJournal.read(ch, out::add);
    }
    return out;
  }

  static WriteAheadJournal.Scan scan(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir.resolve(SegmentFileStore.JOURNAL), StandardOpenOption.READ)) {
      return WriteAheadJournal.read(ch, e -> {});
    }
  }

  /**
   * Makes {@code dir} look like a power cut hit it: every segment byte written after the segment was last
   * fdatasync'd is dropped. The journal's current generation starts with a marker naming the segment and its size
   * at that fdatasync; that segment is cut back to that size, newer segments to nothing (their creation was made
   * durable, their contents were not). Returns the number of bytes dropped.
   */
  public static long losePageCache(Path dir) {
    try {
      List<WriteAheadJournal.Entry> gen = currentGeneration(dir);
      if (gen.isEmpty()) {
        throw new IllegalStateException("no journal generation in " + dir);
      }
      WriteAheadJournal.Entry marker = gen.getFirst();
      if (marker.payload().length != 0) {
        throw new IllegalStateException("generation does not start with a marker: " + marker);
      }
      long dropped = 0;
      for (Path seg : SegmentFileStore.segments(dir)) {
        int n = Integer.parseInt(seg.getFileName().toString().replaceAll("\\D", ""));
        long keep = n < marker.segment() ? Long.MAX_VALUE : n == marker.segment() ? marker.offset() : 0;
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
          if (ch.size() > keep) {
            dropped += ch.size() - keep;
            ch.truncate(keep);
          }
        }
      }
      return dropped;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
