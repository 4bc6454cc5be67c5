package dev.warden.ledger.verify;

import dev.warden.ledger.checkpoint.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The verdict on one chain: {@link Intact} or {@link Broken}. {@link #summary()} is the first line the CLI prints;
 * {@link #notes()} are the further lines (checkpoint freshness, repairs, warnings).
 */
public sealed interface VerificationResult {

  boolean ok();

  /** The chain id, as far as it could be read. */
  String chain();

  /** {@code OK <n> entries, head <hash>} or {@code FAIL at entry <n>: <reason>}. */
  String summary();

  List<String> notes();

  /** The summary followed by the notes, as the CLI prints them. */
  default List<String> lines() {
    List<String> l = new ArrayList<>();
    l.add(summary());
    l.addAll(notes());
    return l;
  }

  /**
   * Every check passed.
   *
   * @param entries entries in the chain
   * @param head hex SHA-256 of the last entry (the genesis value for an empty chain)
   * @param newestCheckpoint the checkpoint covering the most entries
   * @param uncovered entries after the newest checkpoint, vouched for by the chain but not yet by a signature
   */
  record Intact(String chain, long entries, String head, @Nullable Checkpoint newestCheckpoint, long uncovered,
      List<String> notes) implements VerificationResult {
    public Intact {
      notes = List.copyOf(notes);
    }

    @Override
    public boolean ok() {
      return true;
    }

    @Override
    public String summary() {
      return "OK " + entries + " entries, head " + head;
    }
  }

  /**
   * A check failed.
   *
   * @param entry the first entry found bad (0-based; equal to its {@code seq} in an intact chain)
   * @param reason what is wrong, with the value found and the value expected
   */
  record Broken(String chain, long entry, String reason, List<String> notes) implements VerificationResult {
    public Broken {
      notes = List.copyOf(notes);
    }

    @Override
    public boolean ok() {
      return false;
    }

    @Override
    public String summary() {
      return "FAIL at entry " + entry + ": " + reason;
    }
  }
}
