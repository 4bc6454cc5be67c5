package dev.warden.ledger;

import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * The rules that make a sequence of lines a chain; the writer and the verifier share them.
 *
 * <ul>
 *   <li>Entry {@code n} (from 0) has {@code "seq": n}: gapless, so a deleted or inserted entry shows.
 *   <li>Its {@code prev} is the hex SHA-256 of the exact bytes of line {@code n-1} (without the newline).
 *   <li>Genesis: entry 0's {@code prev} is {@link #genesis(String)}, the SHA-256 of
 *       {@code "warden.ledger.genesis\0" + chain}, which ties the first entry to its chain id so entries cannot be
 *       moved between chains.
 *   <li>Every entry names the same {@code chain}.
 * </ul>
 */
public final class ChainRules {
  private ChainRules() {}

  public static String genesis(String chain) {
    return Hex.encode(Sha256.hash(("warden.ledger.genesis\0" + chain).getBytes(StandardCharsets.UTF_8)));
  }

  /** Chain ids go into file names, Kafka keys and log lines, so they are kept plain. */
  public static String requireValidChainId(String chain) {
    if (!chain.matches("[A-Za-z0-9._:-]{1,128}")) {
      throw new IllegalArgumentException("chain id \"" + chain + "\" (expected: 1..128 of A-Z a-z 0-9 . _ : -)");
    }
    return chain;
  }
}
