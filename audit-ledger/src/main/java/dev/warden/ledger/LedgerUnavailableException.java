package dev.warden.ledger;

import org.jspecify.annotations.Nullable;

/**
 * The ledger cannot record anything: it failed closed after an I/O error, or it is closed. Nothing that depends on
 * an entry being recorded may go ahead; the gateway answers 503. Once thrown for an I/O error, every later append
 * throws it too: fsync is not retried, because after a failed fsync the kernel may have dropped the dirty pages and
 * a retry that "succeeds" would prove nothing.
 */
public final class LedgerUnavailableException extends RuntimeException {
  public LedgerUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
