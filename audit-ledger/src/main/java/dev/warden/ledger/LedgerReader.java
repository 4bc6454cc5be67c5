package dev.warden.ledger;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.store.SegmentFileStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a ledger directory's entries in order, for reports and tools. It does not verify (use
 * {@link dev.warden.ledger.verify.LedgerVerifier} for that); it fails on a line it cannot read, and skips an
 * unterminated last line (a crash artifact the ledger cuts on its next open). Safe to use while a ledger appends:
 * it sees a prefix.
 */
public final class LedgerReader {
  private LedgerReader() {}

  public static void forEach(Path dir, Consumer<LedgerEntry> consumer) {
    requireNonNull(dir, "dir");
    requireNonNull(consumer, "consumer");
    try {
      for (Path segment : SegmentFileStore.segments(dir)) {
        long[] lineNo = {0};
        SegmentFileStore.readLines(segment, (buf, off, len) -> {
          lineNo[0]++;
          boolean terminated = off + len < buf.length && buf[off + len] == '\n';
          if (!terminated) {
            return; // torn tail of a crashed writer: never acknowledged
          }
          try {
            consumer.accept(LedgerEntry.parse(buf, off, len));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(segment + " line " + lineNo[0] + ": " + e.getMessage(), e);
          }
        });
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read ledger " + dir + ": " + e.getMessage(), e);
    }
  }

  public static List<LedgerEntry> readAll(Path dir) {
    List<LedgerEntry> all = new ArrayList<>();
    forEach(dir, all::add);
    return all;
  }
}
