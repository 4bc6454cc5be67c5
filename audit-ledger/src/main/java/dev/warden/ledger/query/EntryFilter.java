package dev.warden.ledger.query;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.Actor;
import dev.warden.ledger.EntryKind;
import dev.warden.ledger.LedgerEntry;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which entries a search wants. Every condition given must hold; a {@code null} (or, for {@code kinds}, empty)
 * condition holds for every entry. Strings match exactly, case included: they are ids.
 *
 * <p>The members compared are those the gateway writes: {@code actor.user} (the key's owner, or the admin or SSO
 * subject), {@code actor.key_id} (the virtual key's id, never the key), {@code actor.team}, {@code actor.customer},
 * {@code model} (the model the caller asked for; the model a provider was sent is {@code attrs.upstream_model}) and
 * {@code request_id} (which joins a request, its guardrail verdicts and its response).
 *
 * @param kinds the kinds wanted; empty for every kind (an entry of a kind this version does not know matches only
 *     then)
 * @param from the earliest {@code time} wanted, inclusive
 * @param to the end of the time range, exclusive
 */
public record EntryFilter(
    Set<EntryKind> kinds,
    @Nullable Instant from,
    @Nullable Instant to,
    @Nullable String user,
    @Nullable String keyId,
    @Nullable String team,
    @Nullable String customer,
    @Nullable String model,
    @Nullable String requestId) {

  /** Every entry. */
  public static final EntryFilter ANY = builder().build();

  public EntryFilter {
    kinds = Set.copyOf(requireNonNull(kinds, "kinds"));
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("time range [" + from + ", " + to + ") is empty (expected: from before to)");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** True if {@code entry} meets every condition. */
  public boolean matches(LedgerEntry entry) {
    if (!kinds.isEmpty() && !entry.entryKind().map(kinds::contains).orElse(false)) {
      return false;
    }
    if (!inTimeRange(entry.time())) {
      return false;
    }
    Actor actor = entry.actor();
    return is(user, actor == null ? null : actor.user())
        && is(keyId, actor == null ? null : actor.keyId())
        && is(team, actor == null ? null : actor.team())
        && is(customer, actor == null ? null : actor.customer())
        && is(model, entry.model())
        && is(requestId, entry.requestId());
  }

  /** True if {@code time} is in {@code [from, to)}. */
  public boolean inTimeRange(Instant time) {
    return (from == null || !time.isBefore(from)) && (to == null || time.isBefore(to));
  }

  private static boolean is(@Nullable String wanted, @Nullable String actual) {
    return wanted == null || wanted.equals(actual);
  }

  /** Fluent construction; every condition is optional. */
  public static final class Builder {
    private final Set<EntryKind> kinds = EnumSet.noneOf(EntryKind.class);
    private @Nullable Instant from;
    private @Nullable Instant to;
    private @Nullable String user;
    private @Nullable String keyId;
    private @Nullable String team;
    private @Nullable String customer;
    private @Nullable String model;
    private @Nullable String requestId;

    private Builder() {}

    public Builder kinds(Set<EntryKind> kinds) {
      this.kinds.addAll(requireNonNull(kinds, "kinds"));
      return this;
    }

    public Builder kind(EntryKind kind) {
      this.kinds.add(requireNonNull(kind, "kind"));
      return this;
    }

    /** Entries at or after {@code from}. */
    public Builder from(@Nullable Instant from) {
      this.from = from;
      return this;
    }

    /** Entries before {@code to}. */
    public Builder to(@Nullable Instant to) {
      this.to = to;
      return this;
    }

    public Builder user(@Nullable String user) {
      this.user = user;
      return this;
    }

    /** The virtual key's id ({@code actor.key_id}). */
    public Builder keyId(@Nullable String keyId) {
      this.keyId = keyId;
      return this;
    }

    public Builder team(@Nullable String team) {
      this.team = team;
      return this;
    }

    public Builder customer(@Nullable String customer) {
      this.customer = customer;
      return this;
    }

    public Builder model(@Nullable String model) {
      this.model = model;
      return this;
    }

    public Builder requestId(@Nullable String requestId) {
      this.requestId = requestId;
      return this;
    }

    public EntryFilter build() {
      return new EntryFilter(kinds, from, to, user, keyId, team, customer, model, requestId);
    }
  }
}
