package dev.warden.ledger;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.crypto.SubjectKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Makes sealed bodies unreadable once they are older than the retention, by deleting the day keys that sealed them
 * (crypto-shredding, as for erasure; entries are immutable, so the ciphertext stays and the chain still verifies),
 * and records each deletion in the ledger.
 *
 * <p>A body sealed on UTC day {@code D} is under the key of ({@code subject}, {@code D}). With retention {@code R}
 * days, the folder of day {@code D} is deleted once day {@code D + R} has fully passed, so a body stays readable at
 * least {@code R} days and at most {@code R} days plus one day plus the check interval. Bodies written before keys
 * were kept per day have one key per subject, so they do not expire; erasing their subject still shreds them.
 *
 * <p>Each run that deletes something appends one {@code erasure} entry without a {@code subject} (subject erasures
 * always name one), so a report of erasures lists expiries beside them:
 *
 * <pre>{"attrs":{"days":"3","expired_through":"2026-10-25","keys":"41","reason":"body retention P30D: keys of
 * bodies sealed through 2026-10-25 deleted","retention":"P30D"},"decision":"expired","kind":"erasure",…}</pre>
 *
 * <p>{@code expired_through} is the policy's boundary, not just this run's folders: it states that every key of that
 * day and before is gone. So if a run deletes keys and then cannot append (the ledger failed closed, or the process
 * died in between), the next entry still covers those days, though not their count. The keys go first for the same
 * reason as in an erasure: a recorded deletion that did not happen would be worse than a late record.
 *
 * <p>Thread-safe: runs are serialised, whether from the schedule or from {@link Ledger#expireBodies()}.
 */
final class BodyRetention implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BodyRetention.class.getName());

  private final Duration retention;
  private final SubjectKeyStore keys;
  private final Function<EntryDraft, Appended> ledger;
  private final BooleanSupplier ledgerHealthy;
  private final Clock clock;
  private final ScheduledExecutorService schedule;

  BodyRetention(Duration retention, SubjectKeyStore keys, Function<EntryDraft, Appended> ledger,
      BooleanSupplier ledgerHealthy, Clock clock, String chain) {
    this.retention = requireNonNull(retention, "retention");
    this.keys = requireNonNull(keys, "keys");
    this.ledger = requireNonNull(ledger, "ledger");
    this.ledgerHealthy = requireNonNull(ledgerHealthy, "ledgerHealthy");
    this.clock = requireNonNull(clock, "clock");
    this.schedule = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("warden-ledger-retention-" + chain).daemon(true).factory());
  }

  /** Applies the retention now, then every {@code interval} until {@link #close()}. */
  BodyExpiry start(Duration interval) {
    BodyExpiry first = expire(clock.instant());
    long ms = interval.toMillis();
    schedule.scheduleWithFixedDelay(this::expireQuietly, ms, ms, TimeUnit.MILLISECONDS);
    return first;
  }

  /**
   * Deletes the keys of every day older than the retention as of {@code now}; appends an entry if any went. Refuses
   * to delete anything while the ledger cannot record it.
   */
  synchronized BodyExpiry expire(Instant now) {
    if (!ledgerHealthy.getAsBoolean()) {
      throw new LedgerUnavailableException("the ledger is closed or failed closed, so body retention was not "
          + "applied: a deletion it cannot record is not made", null);
    }
    long days = retention.toDays();
    LocalDate firstKept = SubjectKeyStore.epochOf(now).minusDays(days);
    LocalDate expiredThrough = firstKept.minusDays(1);
    SubjectKeyStore.Expired expired = keys.expireBefore(firstKept);
    if (expired.days().isEmpty()) {
      return new BodyExpiry(retention, expiredThrough, expired.days(), 0, null);
    }
    String period = "P" + days + "D";
    Appended entry = ledger.apply(EntryDraft.builder().kind(EntryKind.ERASURE).decision("expired")
        .attr("retention", period)
        .attr("expired_through", expiredThrough.toString())
        .attr("days", Integer.toString(expired.days().size()))
        .attr("keys", Integer.toString(expired.keys()))
        .attr("reason", "body retention " + period + ": keys of bodies sealed through " + expiredThrough + " deleted")
        .build());
    return new BodyExpiry(retention, expiredThrough, expired.days(), expired.keys(), entry);
  }

  private void expireQuietly() {
    if (!ledgerHealthy.getAsBoolean()) {
      return; // nothing could be recorded; the run on the next open catches up
    }
    try {
      BodyExpiry e = expire(clock.instant());
      if (!e.nothingExpired()) {
        LOG.log(System.Logger.Level.INFO, "body retention: deleted the keys of " + e.days().size() + " days ("
            + e.keys() + " keys), bodies sealed through " + e.expiredThrough() + " are unreadable");
      }
    } catch (RuntimeException e) {
      // Logged, not thrown: a scheduled task that throws is never run again. The next run retries.
      LOG.log(System.Logger.Level.ERROR, "body retention failed, retrying in the next check: " + e, e);
    }
  }

  /** Stops the schedule, letting a run under way finish (and record itself) first. */
  @Override
  public void close() {
    schedule.shutdown();
    boolean interrupted = false;
    try {
      while (!schedule.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.log(System.Logger.Level.WARNING, "body retention still running; waiting for it before closing");
      }
    } catch (InterruptedException e) {
      interrupted = true;
      schedule.shutdownNow();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
