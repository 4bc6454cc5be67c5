package dev.warden.ledger.query;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One page of a search: the entries matching {@code filter}, newest first, at most {@code limit} of them, all with a
 * {@code seq} below {@code beforeSeq} when given. The first page has no cursor; each next page passes the cursor
 * the previous one returned ({@link SearchPage#next}). Because the cursor is a position in the chain, not an
 * offset, pages neither repeat nor skip entries while new ones are appended.
 *
 * @param limit 1..{@value #MAX_LIMIT}
 * @param beforeSeq only entries with a smaller {@code seq}; {@code null} for the newest
 */
public record LedgerQuery(EntryFilter filter, int limit, @Nullable Long beforeSeq) {
  public static final int MAX_LIMIT = 500;

  public LedgerQuery {
    requireNonNull(filter, "filter");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit " + limit + " (expected: 1.." + MAX_LIMIT + ")");
    }
    if (beforeSeq != null && beforeSeq < 0) {
      throw new IllegalArgumentException("beforeSeq " + beforeSeq + " (expected: >= 0)");
    }
  }

  /** The first page: the newest matching entries. */
  public static LedgerQuery newest(EntryFilter filter, int limit) {
    return new LedgerQuery(filter, limit, null);
  }

  /** The same search, for entries before {@code seq}. */
  public LedgerQuery before(long seq) {
    return new LedgerQuery(filter, limit, seq);
  }
}
