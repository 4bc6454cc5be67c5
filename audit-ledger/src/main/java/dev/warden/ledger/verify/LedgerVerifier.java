package dev.warden.ledger.verify;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.checkpoint.PublicKeyRing;
import dev.warden.ledger.store.SegmentFileStore;
import dev.warden.ledger.store.SegmentLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    PublicKeyRing ring = PublicKeyRing.empty();
    for (String id : options.keys().keyIds()) {
      ring.add(id, options.keys().get(id).orElseThrow());
    }
    ChainVerifier v = new ChainVerifier(ring, options);
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

    List<byte[]> checkpointLines = new ArrayList<>();
    Path cpFile = dir.resolve(SegmentFileStore.CHECKPOINTS);
    if (Files.exists(cpFile)) {
      byte[] data = Files.readAllBytes(cpFile);
      int start = 0;
      for (int i = 0; i < data.length; i++) {
        if (data[i] == '\n') {
          checkpointLines.add(Arrays.copyOfRange(data, start, i));
          start = i + 1;
        }
      }
      if (start < data.length) {
        v.note(SegmentFileStore.CHECKPOINTS + " ends with an unterminated line of " + (data.length - start)
            + " bytes (a write cut short by a crash; the ledger cuts it on its next open); ignored");
      }
    }
    if (!v.checkpoints(checkpointLines, true)) {
      return v.finish();
    }

    List<Path> segments = SegmentFileStore.segments(dir);
    for (int s = 0; s < segments.size(); s++) {
      Path seg = segments.get(s);
      // Streamed in chunks, never read whole: the gateway verifies its own ledger in process, under a heap sized for
      // serving traffic, and a segment can be tens of megabytes.
      long[] consumed = {0};
      boolean[] stopped = {false};
      SegmentLines.forEach(seg, (buf, off, len) -> {
        consumed[0] += len + 1;
        if (!v.entry(buf, off, len)) {
          stopped[0] = true;
          return false;
        }
        return true;
      });
      if (stopped[0]) {
        return v.finish();
      }
      long unterminated = Files.size(seg) - consumed[0];
      if (unterminated > 0) {
        if (s == segments.size() - 1) {
          v.note(seg.getFileName() + " ends with an unterminated line of " + unterminated
              + " bytes (a write cut short by a crash, never acknowledged; the ledger cuts it on its next open);"
              + " not counted");
        } else {
          v.fail(v.position(), seg.getFileName() + " ends without a newline but is not the last segment");
          return v.finish();
        }
      }
    }
    return v.finish();
  }

  /**
   * Verifies a chain read back from a replica stream (a Kafka topic), where entries and checkpoints come
   * interleaved in write order.
   *
   * <p>Two things differ from a directory. A replica may join a chain late, so the chain may start with a signed
   * checkpoint of size {@code n > 0}: its head anchors entry {@code n}. And a writer that crashed may have sent
   * entries it never acknowledged; on restart it writes a signed checkpoint of what it recovered, and entries
   * sent after that checkpoint's size but before it are dropped (and reported). Rolling back below a size that
   * was already signed is a failure: those entries were acknowledged.
   */
  public static VerificationResult verifyRecords(String chain, List<ChainRecord> records, VerifyOptions options) {
    PublicKeyRing ring = PublicKeyRing.empty();
    for (String id : options.keys().keyIds()) {
      ring.add(id, options.keys().get(id).orElseThrow());
    }
    ChainVerifier v = new ChainVerifier(ring, options.withChain(chain));
    List<byte[]> checkpoints = new ArrayList<>();
    List<byte[]> entries = new ArrayList<>();
    long base = -1;
    String anchorHead = dev.warden.ledger.ChainRules.genesis(chain);
    long signedMax = 0;
    long dropped = 0;
    for (ChainRecord r : records) {
      if (r.type() == ChainRecord.Type.ENTRY) {
        if (base < 0) {
          base = 0; // no checkpoint before the first entry: the chain must start at genesis
        }
        entries.add(r.line());
        continue;
      }
      dev.warden.ledger.checkpoint.Checkpoint cp;
      try {
        cp = dev.warden.ledger.checkpoint.Checkpoint.parse(r.line());
      } catch (IllegalArgumentException e) {
        return new VerificationResult.Broken(chain, Math.max(0, base) + entries.size(),
            "checkpoint record " + (checkpoints.size() + 1) + " is malformed: " + e.getMessage(), List.of());
      }
      checkpoints.add(r.line());
      if (base < 0) {
        base = cp.size();
        anchorHead = cp.head();
        continue;
      }
      long have = base + entries.size();
      if (cp.size() < have) {
        if (cp.size() < signedMax || cp.size() < base) {
          return new VerificationResult.Broken(chain, cp.size(), "checkpoint record " + checkpoints.size()
              + " rolls the chain back to " + cp.size() + " entries, below the " + Math.max(signedMax, base)
              + " already signed", List.of());
        }
        dropped += have - cp.size();
        entries.subList((int) (cp.size() - base), entries.size()).clear();
      }
      signedMax = Math.max(signedMax, cp.size());
    }
    if (base < 0) {
      base = 0;
    }
    if (dropped > 0) {
      v.note(dropped + " entries sent by a writer that then crashed were superseded at its restart (never"
          + " acknowledged; rolled back by a signed checkpoint)");
    }
    if (base > 0) {
      v.note("the stream starts at entry " + base + ", anchored by a signed checkpoint");
    }
    if (!v.checkpoints(checkpoints, false)) {
      return v.finish();
    }
    v.anchor(base, anchorHead);
    for (byte[] e : entries) {
      if (!v.entry(e, 0, e.length)) {
        break;
      }
    }
    return v.finish();
  }
}
