package dev.warden.ledger.query;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.LedgerEntry;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A page of search results.
 *
 * @param entries the matching entries, newest (highest {@code seq}) first
 * @param nextBeforeSeq the cursor for the next page (the {@code seq} of the last entry here), or {@code null} when no
 *     older entry matches
 * @param scanned how many entries were read to answer, matching or not: what the search cost
 */
public record SearchPage(List<LedgerEntry> entries, @Nullable Long nextBeforeSeq, long scanned) {
  public SearchPage {
    entries = List.copyOf(requireNonNull(entries, "entries"));
  }

  /** The query for the next page, or empty if this was the last. */
  public Optional<LedgerQuery> next(LedgerQuery query) {
    return nextBeforeSeq == null ? Optional.empty() : Optional.of(query.before(nextBeforeSeq));
  }
}
