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
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks one chain: first its checkpoints ({@link #checkpoints}), then its entries one at a time ({@link #entry}),
 * then the end ({@link #finish}). Stops at the first failure and names the first bad entry.
 *
 * <p>Naming the first bad entry: a changed byte in entry {@code k} usually leaves entry {@code k} readable and only
 * shows as a {@code prev} mismatch in entry {@code k+1}. That mismatch means either entry {@code k}'s content or
 * entry {@code k+1}'s {@code prev} changed; the next piece of evidence decides. If entry {@code k+1} hashes to what
 * entry {@code k+2} (or a checkpoint) says, entry {@code k+1} is authentic and entry {@code k} is the changed one;
 * otherwise entry {@code k+1} is.
 */
final class ChainVerifier {
  private record Signed(int line, Checkpoint checkpoint) {}

  private final PublicKeyRing ring;
  private final VerifyOptions options;
  private final List<String> notes = new ArrayList<>();
  private final Map<Long, Signed> bySize = new HashMap<>();
  private @Nullable Signed newest;
  private @Nullable String chain;

  private final MessageDigest sha = Sha256.newDigest();
  private final CanonicalJson canonical = new CanonicalJson(1024);
  private final MerkleTree merkle = new MerkleTree(false);
  private boolean merkleValid = true;
  private long base;
  private long count; // entries accepted so far, from base
  private String prevHex;
  private long pendingMismatch = -1; // entry whose prev did not match, awaiting evidence
  private @Nullable String pendingDetail;
  private VerificationResult.@Nullable Broken broken;

  ChainVerifier(PublicKeyRing ring, VerifyOptions options) {
    this.ring = ring;
    this.options = options;
    this.chain = options.chain();
    this.prevHex = "";
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

  long position() {
    return base + count;
  }

  void fail(long entry, String reason) {
    if (broken == null) {
      broken = new VerificationResult.Broken(chain == null ? "?" : chain, entry, reason, notes);
    }
  }

  /**
   * Reads and checks all checkpoint lines: syntax, signature, one chain, no fork. With {@code monotonic}, sizes may
   * not go down (files); a Kafka chain may roll back unacknowledged entries at a restart, checked by its reader.
   * False once failed.
   */
  boolean checkpoints(List<byte[]> lines, boolean monotonic) {
    long lastSize = 0;
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      Checkpoint cp;
      try {
        cp = Checkpoint.parse(lines.get(i));
      } catch (IllegalArgumentException e) {
        fail(lastSize == 0 ? 0 : lastSize - 1, "checkpoint line " + lineNo + " is malformed: " + e.getMessage());
        return false;
      }
      if (!Arrays.equals(cp.toLine(), lines.get(i))) {
        fail(at(cp), "checkpoint line " + lineNo + " is not in canonical form");
        return false;
      }
      if (!checkpoint(cp, lineNo, monotonic)) {
        return false;
      }
      lastSize = cp.size();
    }
    return true;
  }

  /**
   * Checks one checkpoint: chain, signature, and agreement with every checkpoint seen before. With
   * {@code monotonic}, a checkpoint may not cover fewer entries than an earlier one (a files ledger only grows).
   */
  private boolean checkpoint(Checkpoint cp, int lineNo, boolean monotonic) {
    if (chain == null) {
      chain = cp.chain();
    }
    if (!cp.chain().equals(chain)) {
      fail(at(cp), "checkpoint line " + lineNo + " is for chain " + cp.chain() + " (expected: " + chain + ")");
      return false;
    }
    Optional<PublicKey> key = ring.get(cp.keyId());
    if (key.isEmpty()) {
      fail(at(cp), "checkpoint line " + lineNo + " (size " + cp.size() + ") is signed by unknown key id "
          + cp.keyId() + " (known: " + String.join(", ", ring.keyIds()) + ")");
      return false;
    }
    if (!SignatureCache.verified(cp, cp.toLine(), key.get())) {
      fail(at(cp), "checkpoint line " + lineNo + " (size " + cp.size() + ") has a bad signature for key "
          + cp.keyId());
      return false;
    }
    Signed seen = bySize.get(cp.size());
    if (seen != null && (!seen.checkpoint.head().equals(cp.head()) || !seen.checkpoint.root().equals(cp.root()))) {
      fail(at(cp), "fork: checkpoint lines " + seen.line + " and " + lineNo + " both sign size " + cp.size()
          + " but heads " + seen.checkpoint.head() + " and " + cp.head());
      return false;
    }
    if (monotonic && newest != null && cp.size() < newest.checkpoint.size()) {
      fail(at(cp), "checkpoint line " + lineNo + " signs size " + cp.size() + " after line " + newest.line
          + " signed " + newest.checkpoint.size() + " (a chain only grows: fork or rollback)");
      return false;
    }
    if (seen == null) {
      bySize.put(cp.size(), new Signed(lineNo, cp));
    }
    if (newest == null || cp.size() >= newest.checkpoint.size()) {
      newest = new Signed(lineNo, cp);
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
      if (n == base) {
        fail(n, "prev " + e.prev() + " (expected: " + (base == 0 ? "genesis " : "anchor ") + prevHex + ")");
        return false;
      }
      // Entry n-1's content or entry n's prev was changed; the next evidence about this line tells which.
      pendingMismatch = n;
      pendingDetail = "prev " + e.prev() + ", hash of entry " + (n - 1) + " " + prevHex;
    }
    prevHex = hash;
    count++;
    Signed cp = bySize.get(base + count);
    if (cp != null) {
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
