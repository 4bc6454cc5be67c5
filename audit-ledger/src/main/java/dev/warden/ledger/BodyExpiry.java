package dev.warden.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one application of the body retention did ({@link Ledger#expireBodies()}).
 *
 * @param retention the retention applied, whole days
 * @param expiredThrough the newest day whose bodies are now unreadable: every key of this day and before is gone
 * @param days the day folders deleted by this run, oldest first; empty when there was nothing to delete
 * @param keys how many keys those folders held
 * @param entry the ledger entry recording the deletion; {@code null} exactly when nothing was deleted
 */
public record BodyExpiry(
    Duration retention, LocalDate expiredThrough, List<LocalDate> days, int keys, @Nullable Appended entry) {

  public BodyExpiry {
    requireNonNull(retention, "retention");
    requireNonNull(expiredThrough, "expiredThrough");
    days = List.copyOf(days);
  }

  /** True if this run deleted nothing (and so appended nothing). */
  public boolean nothingExpired() {
    return days.isEmpty();
  }
}
