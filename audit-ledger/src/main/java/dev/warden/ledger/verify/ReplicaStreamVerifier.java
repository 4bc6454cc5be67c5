package dev.warden.ledger.verify;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.ChainRules;
import dev.warden.ledger.checkpoint.Checkpoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Verifies one chain read back from a replica stream (a Kafka topic) record by record, as it is read: entries and
 * checkpoints interleaved in write order. {@link #accept} each record, then {@link #finish}.
 *
 * <p>Two things differ from a directory. A replica may join a chain late, so the chain may start with a signed
 * checkpoint of size {@code n > 0}: its head anchors entry {@code n}. And a writer that crashed may have sent
 * entries it never acknowledged; on restart it writes a signed checkpoint of what it recovered, and entries sent
 * after that checkpoint's size but before it are dropped (and reported). Rolling back below a size that was already
 * signed is a failure: those entries were acknowledged.
 *
 * <p>What it keeps is what those rules need: the entries received past the largest size signed so far, since a
 * restart checkpoint may still roll them back, and nothing below it can go. They are checked as soon as a
 * checkpoint covers them (or the stream ends). A writer signs at least every second or every 5,000 entries, so this
 * is one checkpoint interval of entries, however long the chain. Of the checkpoints it keeps the newest and those
 * that sign more entries than have arrived: none in a stream a writer produced.
 *
 * <p>The verdicts are the ones a whole-stream reading gives. Where a stream has several faults, the one reported is
 * the first the stream reaches, and the notes count what was read up to it. Not thread-safe.
 */
public final class ReplicaStreamVerifier {
  private final String chain;
  private final ChainVerifier v;
  private final ArrayDeque<byte[]> held = new ArrayDeque<>(); // entries [v.position(), have()), not yet signed
  private long base = -1; // where the chain starts: 0, or the size of a leading checkpoint; -1 before any record
  private long signedMax;
  private long dropped;
  private int checkpoints;
  private VerificationResult.@Nullable Broken early; // a failure of the stream's own rules
  private boolean finished;

  /** A verifier for chain {@code chain}, trusting exactly {@code options.keys()}. */
  public ReplicaStreamVerifier(String chain, VerifyOptions options) {
    this.chain = requireNonNull(chain, "chain");
    requireNonNull(options, "options");
    this.v = ChainVerifier.forReplica(LedgerVerifier.trustedKeys(options), options.withChain(chain));
  }

  /**
   * Takes the chain's next record. Returns false once the verdict is known; later records are then ignored.
   *
   * @throws IllegalStateException after {@link #finish}
   */
  public boolean accept(ChainRecord record) {
    requireNonNull(record, "record");
    if (finished) {
      throw new IllegalStateException("replica stream of chain " + chain + " already finished");
    }
    if (early != null || v.failed()) {
      return false;
    }
    if (record.type() == ChainRecord.Type.ENTRY) {
      if (base < 0) {
        base = 0; // no checkpoint before the first entry: the chain must start at genesis
        v.anchor(0, ChainRules.genesis(chain));
      }
      held.addLast(record.line());
      return release();
    }
    checkpoints++;
    Checkpoint cp;
    try {
      cp = Checkpoint.parse(record.line());
    } catch (IllegalArgumentException e) {
      early = new VerificationResult.Broken(chain, have(),
          "checkpoint record " + checkpoints + " is malformed: " + e.getMessage(), List.of());
      return false;
    }
    if (base < 0) {
      base = cp.size();
      if (!v.checkpoint(cp, record.line(), checkpoints)) {
        return false;
      }
      v.anchor(base, cp.head());
      return true;
    }
    long have = have();
    if (cp.size() < have) {
      if (cp.size() < signedMax || cp.size() < base) {
        early = new VerificationResult.Broken(chain, cp.size(), "checkpoint record " + checkpoints
            + " rolls the chain back to " + cp.size() + " entries, below the " + Math.max(signedMax, base)
            + " already signed", List.of());
        return false;
      }
      // A restart: the entries past its size were sent but never acknowledged. None was checked yet, since
      // nothing signed them (cp.size() >= signedMax).
      dropped += have - cp.size();
      for (long i = cp.size(); i < have; i++) {
        held.removeLast();
      }
    }
    if (!v.checkpoint(cp, record.line(), checkpoints)) {
      return false;
    }
    signedMax = Math.max(signedMax, cp.size());
    return release();
  }

  /** Entries received, counted from genesis, as far as they stand. */
  private long have() {
    return base < 0 ? 0 : v.position() + held.size();
  }

  /** Checks the held entries that no restart can roll back any more. False once failed. */
  private boolean release() {
    long signed = Math.max(signedMax, base);
    while (!held.isEmpty() && v.position() < signed) {
      byte[] e = held.removeFirst();
      if (!v.entry(e, 0, e.length)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Ends the stream and returns the verdict: the entries still held are final now and are checked, then the end
   * (nothing signed is missing).
   */
  public VerificationResult finish() {
    if (finished) {
      throw new IllegalStateException("replica stream of chain " + chain + " already finished");
    }
    finished = true;
    if (early != null) {
      return early;
    }
    if (base < 0) {
      base = 0;
      v.anchor(0, ChainRules.genesis(chain));
    }
    while (!held.isEmpty() && !v.failed()) {
      byte[] e = held.removeFirst();
      v.entry(e, 0, e.length);
    }
    held.clear();
    List<String> notes = new ArrayList<>();
    if (dropped > 0) {
      notes.add(dropped + " entries sent by a writer that then crashed were superseded at its restart (never"
          + " acknowledged; rolled back by a signed checkpoint)");
    }
    if (base > 0) {
      notes.add("the stream starts at entry " + base + ", anchored by a signed checkpoint");
    }
    VerificationResult r = v.finish();
    if (notes.isEmpty()) {
      return r;
    }
    return switch (r) {
      case VerificationResult.Intact i -> new VerificationResult.Intact(i.chain(), i.entries(), i.head(),
          i.newestCheckpoint(), i.uncovered(), concat(notes, i.notes()));
      case VerificationResult.Broken b -> new VerificationResult.Broken(b.chain(), b.entry(), b.reason(),
          concat(notes, b.notes()));
    };
  }

  private static List<String> concat(List<String> first, List<String> then) {
    List<String> all = new ArrayList<>(first);
    all.addAll(then);
    return all;
  }
}
