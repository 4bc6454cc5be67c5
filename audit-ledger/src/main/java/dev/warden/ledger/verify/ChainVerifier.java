package dev.warden.ledger.verify;

import dev.warden.ledger.ChainRules;
import dev.warden.ledger.LedgerEntry;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.checkpoint.PublicKeyRing;
import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.MerkleTree;
import dev.warden.ledger.crypto.Sha256;
import dev.warden.ledger.json.CanonicalJson;
import dev.warden.ledger.json.JsonParser;
import dev.warden.ledger.store.CheckpointCursor;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Checks one chain: its checkpoints ({@link #checkpoint}) and its entries one at a time ({@link #entry}), then the
 * end ({@link #finish}). Stops at the first failure and names the first bad entry. Holds no more than a few
 * checkpoints and no entries, so a ledger of any length verifies in the same memory.
 *
 * <p>The caller interleaves the two: every checkpoint that signs size {@code n} must be given before the entry that
 * makes the chain {@code n} long, since that entry's hash is compared with the checkpoint's head as it goes by.
 * A files ledger ({@link #forFiles}) reads its checkpoints in step with its entries; a replica stream
 * ({@link #forReplica}) gives them as they arrive, entries being held back by its reader until no restart can
 * roll them back. A checkpoint failure outranks an entry failure (a files ledger's checkpoints are all checked,
 * even past a bad entry, so the verdict does not depend on how far the entries got).
 *
 * <p>Naming the first bad entry: a changed byte in entry {@code k} usually leaves entry {@code k} readable and only
 * shows as a {@code prev} mismatch in entry {@code k+1}. That mismatch means either entry {@code k}'s content or
 * entry {@code k+1}'s {@code prev} changed; the next piece of evidence decides. If entry {@code k+1} hashes to what
 * entry {@code k+2} (or a checkpoint) says, entry {@code k+1} is authentic and entry {@code k} is the changed one;
 * otherwise entry {@code k+1} is.
 */
final class ChainVerifier {
  /** A checkpoint and its line (files) or record (replica) number among the checkpoints, from 1. */
  record Signed(int line, Checkpoint checkpoint) {}

  /** Looks back in a files ledger's checkpoints; only asked when one signs fewer entries than an earlier one. */
  @FunctionalInterface
  interface History {
    /** The first checkpoint before line {@code beforeLine} that signs {@code size} entries, if any. */
    @Nullable Signed firstOfSize(long size, int beforeLine);
  }

  private final PublicKeyRing ring;
  private final VerifyOptions options;
  private final boolean monotonic;
  private final History history;
  private final List<String> notes = new ArrayList<>();
  // Files: sizes never go down, so the checkpoints of one size are adjacent and the first of the newest size is all
  // that the fork check and the next entries need.
  private @Nullable Signed run;
  // Replica: the first checkpoint of each size the entries have not yet passed. Its reader never lets a checkpoint
  // sign fewer entries than were checked, so passed sizes can go; in a stream a writer produced this holds at most
  // the checkpoint of the current size.
  private final NavigableMap<Long, Signed> ahead = new TreeMap<>();
  private @Nullable Signed newest;
  private long lastSize; // the size signed by the previous checkpoint, to place a malformed one
  private @Nullable String chain;

  private final MessageDigest sha = Sha256.newDigest();
  private final CanonicalJson canonical = new CanonicalJson(1024);
  private final MerkleTree merkle;
  private boolean merkleValid = true;
  private long base;
  private boolean anchored; // base is a replica's anchor, not a point this verifier resumed from
  private long count; // entries accepted so far, from base
  private String prevHex;
  private long pendingMismatch = -1; // entry whose prev did not match, awaiting evidence
  private @Nullable String pendingDetail;
  private VerificationResult.@Nullable Broken broken;
  private boolean brokenByCheckpoint;

  private ChainVerifier(PublicKeyRing ring, VerifyOptions options, boolean monotonic, History history) {
    this(ring, options, monotonic, history, new MerkleTree(false));
  }

  private ChainVerifier(PublicKeyRing ring, VerifyOptions options, boolean monotonic, History history,
      MerkleTree merkle) {
    this.merkle = merkle;
    this.ring = ring;
    this.options = options;
    this.monotonic = monotonic;
    this.history = history;
    this.chain = options.chain();
    this.prevHex = "";
  }

  /**
   * A files ledger: checkpoint sizes may not go down. {@code history} finds the earlier checkpoint of a size that
   * reappears after a larger one, so that such a line is reported as the fork it is rather than only as a rollback.
   */
  static ChainVerifier forFiles(PublicKeyRing ring, VerifyOptions options, History history) {
    return new ChainVerifier(ring, options, true, history);
  }

  /** A replica stream: its reader applies the rollback rules, and passes only checkpoints no smaller than {@link #position()}. */
  static ChainVerifier forReplica(PublicKeyRing ring, VerifyOptions options) {
    return new ChainVerifier(ring, options, false, (size, beforeLine) -> null);
  }

  /**
   * What a files verifier knows between two entries: enough to go on later from the same place
   * ({@link #resume}) without reading the entries before it again. Only taken while nothing has failed.
   */
  record Snapshot(@Nullable Signed run, @Nullable Signed newest, long lastSize, @Nullable String chain,
      MerkleTree merkle, boolean merkleValid, long size, String prevHex) {}

  /** This verifier's state now; null if it has failed or awaits evidence about a mismatch (nothing to go on from). */
  @Nullable Snapshot snapshot() {
    if (!monotonic || broken != null || pendingMismatch >= 0) {
      return null;
    }
    return new Snapshot(run, newest, lastSize, chain, merkle.copy(), merkleValid, base + count, prevHex);
  }

  /** A files verifier that goes on from {@code from}: the next entry it expects is number {@code from.size()}. */
  static ChainVerifier resume(PublicKeyRing ring, VerifyOptions options, History history, Snapshot from) {
    ChainVerifier v = new ChainVerifier(ring, options, true, history, from.merkle().copy());
    v.run = from.run();
    v.newest = from.newest();
    v.lastSize = from.lastSize();
    v.chain = from.chain();
    v.merkleValid = from.merkleValid();
    v.base = from.size();
    v.prevHex = from.prevHex();
    return v;
  }

  List<String> notes() {
    return notes;
  }

  void note(String note) {
    notes.add(note);
  }

  boolean failed() {
    return broken != null;
  }

  /** Entries checked so far, counted from genesis: the size the chain has reached. */
  long position() {
    return base + count;
  }

  /** Records an entry failure; the first failure stands, unless a checkpoint failure comes later. */
  void fail(long entry, String reason) {
    if (broken == null) {
      broken = new VerificationResult.Broken(chain == null ? "?" : chain, entry, reason, notes);
    }
  }

  private void failCheckpoint(long entry, String reason) {
    if (!brokenByCheckpoint) {
      broken = new VerificationResult.Broken(chain == null ? "?" : chain, entry, reason, notes);
      brokenByCheckpoint = true;
    }
  }

  /**
   * Parses checkpoint line {@code line}; null, and failed, if it is not one. Usable after an entry failure: the
   * caller still reads the remaining checkpoints, since a bad checkpoint outranks a bad entry.
   */
  @Nullable Checkpoint parseCheckpoint(CheckpointCursor.Line line) {
    if (!line.whole()) {
      failCheckpoint(lastSize == 0 ? 0 : lastSize - 1, "checkpoint line " + line.number() + " is malformed: a line"
          + " of " + line.length() + " bytes (expected: at most " + CheckpointCursor.MAX_LINE + ")");
      return null;
    }
    try {
      return Checkpoint.parse(line.bytes());
    } catch (IllegalArgumentException e) {
      failCheckpoint(lastSize == 0 ? 0 : lastSize - 1,
          "checkpoint line " + line.number() + " is malformed: " + e.getMessage());
      return null;
    }
  }

  /**
   * Checks one parsed checkpoint: canonical form, chain, signature, and agreement with the checkpoints before it
   * (no fork; for a files ledger, no size below an earlier one). Then keeps it for the entries still to come; if
   * the entries already reached its size (a replica's checkpoint arrives after the entries it signs), compares it
   * at once. False once failed.
   */
  boolean checkpoint(Checkpoint cp, byte[] line, int lineNo) {
    if (broken != null && brokenByCheckpoint) {
      return false;
    }
    if (!Arrays.equals(cp.toLine(), line)) {
      failCheckpoint(at(cp), "checkpoint line " + lineNo + " is not in canonical form");
      return false;
    }
    if (chain == null) {
      chain = cp.chain();
    }
    if (!cp.chain().equals(chain)) {
      failCheckpoint(at(cp), "checkpoint line " + lineNo + " is for chain " + cp.chain() + " (expected: " + chain
          + ")");
      return false;
    }
    Optional<PublicKey> key = ring.get(cp.keyId());
    if (key.isEmpty()) {
      failCheckpoint(at(cp), "checkpoint line " + lineNo + " (size " + cp.size() + ") is signed by unknown key id "
          + cp.keyId() + " (known: " + String.join(", ", ring.keyIds()) + ")");
      return false;
    }
    if (!SignatureCache.verified(cp, cp.toLine(), key.get())) {
      failCheckpoint(at(cp), "checkpoint line " + lineNo + " (size " + cp.size() + ") has a bad signature for key "
          + cp.keyId());
      return false;
    }
    Signed top = newest;
    boolean shrinks = top != null && cp.size() < top.checkpoint.size();
    Signed seen;
    if (monotonic) {
      seen = run != null && run.checkpoint.size() == cp.size() ? run
          : shrinks ? history.firstOfSize(cp.size(), lineNo) : null;
    } else {
      if (cp.size() < position()) {
        throw new IllegalStateException("checkpoint record " + lineNo + " signs " + cp.size() + " entries after "
            + position() + " were checked (expected: the reader rejects rollbacks below what it passed on)");
      }
      seen = ahead.get(cp.size());
    }
    if (seen != null && (!seen.checkpoint.head().equals(cp.head()) || !seen.checkpoint.root().equals(cp.root()))) {
      failCheckpoint(at(cp), "fork: checkpoint lines " + seen.line + " and " + lineNo + " both sign size "
          + cp.size() + " but heads " + seen.checkpoint.head() + " and " + cp.head());
      return false;
    }
    if (monotonic && shrinks && top != null) {
      failCheckpoint(at(cp), "checkpoint line " + lineNo + " signs size " + cp.size() + " after line " + top.line
          + " signed " + top.checkpoint.size() + " (a chain only grows: fork or rollback)");
      return false;
    }
    lastSize = cp.size();
    if (newest == null || cp.size() >= newest.checkpoint.size()) {
      newest = new Signed(lineNo, cp);
    }
    if (seen != null) {
      return true; // the same statement again: the first line of this size speaks for both
    }
    Signed signed = new Signed(lineNo, cp);
    if (monotonic) {
      run = signed;
      return true;
    }
    ahead.put(cp.size(), signed);
    if (cp.size() == position() && count > 0 && broken == null) {
      return matches(signed, position() - 1, prevHex);
    }
    return true;
  }

  private static long at(Checkpoint cp) {
    return Math.max(0, cp.size() - 1);
  }

  /**
   * Starts the chain at {@code base} entries with head {@code prev} instead of at genesis: for a replica that
   * joined later, anchored by a signed checkpoint. Merkle roots cannot be recomputed without the earlier leaves.
   */
  void anchor(long base, String prev) {
    this.anchored = true;
    this.base = base;
    this.prevHex = prev;
    this.merkleValid = base == 0;
  }

  /** Checks the next entry line. False once failed. */
  boolean entry(byte[] buf, int off, int len) {
    if (broken != null) {
      return false;
    }
    long n = base + count;
    if (count == 0 && base == 0 && prevHex.isEmpty() && chain != null) {
      prevHex = ChainRules.genesis(chain);
    }
    Map<String, @Nullable Object> m;
    try {
      m = JsonParser.parseObject(buf, off, len);
    } catch (IllegalArgumentException e) {
      resolvePendingWithoutEvidence();
      fail(n, "not a JSON object: " + e.getMessage());
      return false;
    }
    Object prevField = m.get("prev");
    if (pendingMismatch >= 0) {
      // The evidence about the previous line: does this line's prev match it?
      resolvePending(prevHex.equals(prevField));
      return false;
    }
    canonical.reset().object(m);
    if (canonical.length() != len || !Arrays.equals(canonical.buffer(), 0, len, buf, off, off + len)) {
      fail(n, "not in canonical JSON form (RFC 8785): the line was edited");
      return false;
    }
    sha.update(buf, off, len);
    String hash = Hex.encode(sha.digest());
    LedgerEntry e;
    try {
      e = LedgerEntry.fromJson(m, Arrays.copyOfRange(buf, off, off + len), hash);
    } catch (IllegalArgumentException | ArithmeticException ex) {
      fail(n, "bad member: " + ex.getMessage());
      return false;
    }
    if (chain == null) {
      chain = e.chain();
      prevHex = ChainRules.genesis(chain);
    }
    if (e.seq() != n) {
      String why = e.seq() < n ? "duplicated or reordered entry" : "missing or reordered entry";
      fail(n, "seq " + e.seq() + " (expected: " + n + "): " + why);
      return false;
    }
    if (!e.chain().equals(chain)) {
      fail(n, "chain " + e.chain() + " (expected: " + chain + ")");
      return false;
    }
    if (merkleValid) {
      merkle.append(buf, off, len);
    }
    if (!e.prev().equals(prevHex)) {
      if (n == base && (base == 0 || anchored)) {
        fail(n, "prev " + e.prev() + " (expected: " + (base == 0 ? "genesis " : "anchor ") + prevHex + ")");
        return false;
      }
      // Entry n-1's content or entry n's prev was changed; the next evidence about this line tells which.
      pendingMismatch = n;
      pendingDetail = "prev " + e.prev() + ", hash of entry " + (n - 1) + " " + prevHex;
    }
    prevHex = hash;
    count++;
    Signed cp = signing(base + count);
    return cp == null || matches(cp, n, hash);
  }

  /** The first checkpoint given so far that signs {@code size} entries, if the entries may still need it. */
  private @Nullable Signed signing(long size) {
    if (monotonic) {
      return run != null && run.checkpoint.size() == size ? run : null;
    }
    while (!ahead.isEmpty() && ahead.firstKey() < size) {
      ahead.pollFirstEntry(); // passed: no later checkpoint can sign fewer entries than were checked
    }
    return ahead.get(size);
  }

  /** Compares entry {@code n}, the last so far, hashing to {@code hash}, with {@code cp}, which signs its size. */
  private boolean matches(Signed cp, long n, String hash) {
    if (pendingMismatch >= 0) {
      resolvePending(cp.checkpoint.head().equals(hash));
      return false;
    }
    if (!cp.checkpoint.head().equals(hash)) {
      fail(n, "hash " + hash + " differs from head " + cp.checkpoint.head() + " signed by checkpoint line "
          + cp.line + " (size " + cp.checkpoint.size() + ")");
      return false;
    }
    if (merkleValid && !merkle.rootHex().equals(cp.checkpoint.root())) {
      fail(n, "Merkle root " + merkle.rootHex() + " differs from root " + cp.checkpoint.root()
          + " signed by checkpoint line " + cp.line);
      return false;
    }
    return true;
  }

  /** {@code nextAuthentic}: the line after the mismatch is vouched for by what follows it. */
  private void resolvePending(boolean nextAuthentic) {
    long k = pendingMismatch;
    if (nextAuthentic) {
      fail(k - 1, "entry changed: its hash no longer matches the prev of entry " + k + " (" + pendingDetail + ")");
    } else {
      fail(k, "prev changed: " + pendingDetail);
    }
    pendingMismatch = -1;
  }

  private void resolvePendingWithoutEvidence() {
    if (pendingMismatch >= 0) {
      long k = pendingMismatch;
      fail(k - 1, "entry " + (k - 1) + " or the prev of entry " + k + " was changed (" + pendingDetail + ")");
      pendingMismatch = -1;
    }
  }

  /** Ends the chain: checks nothing signed is missing, and reports checkpoint freshness. */
  VerificationResult finish() {
    resolvePendingWithoutEvidence();
    if (broken != null) {
      return broken;
    }
    long size = base + count;
    String c = chain == null ? "?" : chain;
    if (newest == null) {
      fail(size == 0 ? 0 : size - 1, "no signed checkpoint: nothing proves the chain was not cut short");
      return broken;
    }
    Checkpoint top = newest.checkpoint;
    if (top.size() > size) {
      fail(size, "the chain ends after " + size + " entries but checkpoint line " + newest.line + " signs "
          + top.size() + ": entries were cut off or deleted");
      return broken;
    }
    if (size == base && base == 0) {
      prevHex = ChainRules.genesis(c);
      if (!top.head().equals(prevHex)) {
        fail(0, "empty chain but checkpoint line " + newest.line + " signs head " + top.head());
        return broken;
      }
    }
    Duration age = Duration.between(top.time(), options.clock().instant());
    notes.add("newest checkpoint: " + top.size() + " entries, signed " + top.time() + " by " + top.keyId() + " ("
        + human(age) + " ago" + (age.compareTo(options.staleAfter()) > 0 ? ", STALE" : "") + ")");
    long uncovered = size - top.size();
    if (uncovered > 0) {
      notes.add(uncovered + " entries after the newest checkpoint are chained but not yet signed");
    }
    return new VerificationResult.Intact(c, size, prevHex, top, uncovered, notes);
  }

  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return (s / 60) + " min";
    }
    if (s < 172_800) {
      return (s / 3600) + " h";
    }
    return (s / 86_400) + " d";
  }
}
