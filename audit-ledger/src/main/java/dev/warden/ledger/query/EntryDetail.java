package dev.warden.ledger.query;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.LedgerEntry;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.verify.InclusionProof;
import org.jspecify.annotations.Nullable;

/**
 * One entry with the evidence that it is part of the signed ledger.
 *
 * @param entry the entry, with its line and hash
 * @param inclusion the first checkpoint covering the entry and the proof of the entry in it; {@code null} while no
 *     checkpoint covers it yet (the newest entries, until the next checkpoint, at most a second under load)
 */
public record EntryDetail(LedgerEntry entry, @Nullable Inclusion inclusion) {
  public EntryDetail {
    requireNonNull(entry, "entry");
  }

  /**
   * The entry's place in a signed checkpoint.
   *
   * @param verified true if {@code proof} leads from the entry's exact line to {@code checkpoint}'s root; false means
   *     the ledger files no longer hold what was signed. The checkpoint's signature is not checked here (that needs
   *     the operator's public key: {@link Checkpoint#verifySignature})
   */
  public record Inclusion(Checkpoint checkpoint, InclusionProof proof, boolean verified) {
    public Inclusion {
      requireNonNull(checkpoint, "checkpoint");
      requireNonNull(proof, "proof");
    }
  }
}
