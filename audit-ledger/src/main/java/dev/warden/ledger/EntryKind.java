package dev.warden.ledger;

import java.util.Locale;
import java.util.Optional;

/** What an entry records. The wire name (the {@code kind} member) is the lower-case constant name. */
public enum EntryKind {
  /** A request that passed the input controls, written before it is sent to a provider. */
  REQUEST,
  /** The outcome of a request: status, provider, tokens, cost, latency. */
  RESPONSE,
  /** A request refused by a control (401, 403, 429, guardrail block), recorded so refusals are auditable too. */
  REJECTION,
  /** A change made through the admin API or console (keys, budgets, policies). */
  ADMIN_CHANGE,
  /** A guardrail's verdict on input or output. */
  GUARDRAIL_VERDICT,
  /** A console or API login. */
  LOGIN,
  /**
   * Tombstone: keys of sealed bodies were deleted, so the bodies sealed under them are unreadable from now on. With a
   * {@code subject}, that subject was erased ({@link Ledger#erase}); without one ({@code decision} {@code expired}),
   * the body retention expired whole days ({@link Ledger#expireBodies}).
   */
  ERASURE,
  /** Anything else worth recording; say what in {@code attrs}. */
  OTHER;

  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wire;
  }

  /** The kind for a wire name, or empty for a kind this version does not know (entries from newer writers). */
  public static Optional<EntryKind> fromWire(String wire) {
    for (EntryKind k : values()) {
      if (k.wire.equals(wire)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
