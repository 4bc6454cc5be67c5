package dev.warden.ledger.verify;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.checkpoint.PublicKeyRing;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How to verify.
 *
 * @param keys the checkpoint public keys trusted, by key id (several for rotation)
 * @param trustKeysInLedgerDir also trust the {@code keys/*.pub.pem} files inside the ledger directory. Convenient
 *     (demo mode), but whoever can rewrite the ledger can rewrite those too, so an auditor passes keys obtained
 *     elsewhere and turns this off; the CLI does so as soon as {@code --public-key} is given
 * @param chain the chain id expected, or null to take it from the ledger
 * @param clock for the age of the newest checkpoint
 * @param staleAfter a newest checkpoint older than this is reported as stale (a note, not a failure: an idle
 *     ledger writes no checkpoints)
 * @param pacer called once per entry, may sleep ({@link Pacer#cpuShare}: a gateway verifying its own ledger while it
 *     serves); {@link Pacer#NONE} by default
 */
public record VerifyOptions(
    PublicKeyRing keys, boolean trustKeysInLedgerDir, @Nullable String chain, Clock clock, Duration staleAfter,
    Pacer pacer) {

  public VerifyOptions {
    requireNonNull(keys, "keys");
    requireNonNull(clock, "clock");
    requireNonNull(staleAfter, "staleAfter");
    requireNonNull(pacer, "pacer");
  }

  /** Trusts the keys in the ledger directory; for demo ledgers and tests. */
  public static VerifyOptions defaults() {
    return new VerifyOptions(PublicKeyRing.empty(), true, null, Clock.systemUTC(), Duration.ofMinutes(5), Pacer.NONE);
  }

  /** Trusts exactly {@code keys}. */
  public static VerifyOptions withKeys(PublicKeyRing keys) {
    return new VerifyOptions(keys, false, null, Clock.systemUTC(), Duration.ofMinutes(5), Pacer.NONE);
  }

  public VerifyOptions withChain(@Nullable String chain) {
    return new VerifyOptions(keys, trustKeysInLedgerDir, chain, clock, staleAfter, pacer);
  }

  public VerifyOptions withClock(Clock clock) {
    return new VerifyOptions(keys, trustKeysInLedgerDir, chain, clock, staleAfter, pacer);
  }

  public VerifyOptions withPacer(Pacer pacer) {
    return new VerifyOptions(keys, trustKeysInLedgerDir, chain, clock, staleAfter, pacer);
  }
}
