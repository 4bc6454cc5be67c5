package dev.warden.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ledger.verify.LedgerVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Body retention: sealed bodies become unreadable once their day is older than the retention, and it is recorded. */
class BodyRetentionTest {
  private static final Duration THIRTY_DAYS = Duration.ofDays(30);

  @TempDir Path dir;
  private final TestClock clock = TestClock.at("2026-01-01T09:30:00Z"); // day 1

  private Ledger open(Duration retention) {
    return Ledger.open(LedgerOptions.builder().dir(dir).clock(clock).bodyRetention(retention).build());
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void expiresTheBodiesOfDaysOlderThanTheRetentionRecordsItAndKeepsTheChainValid() throws Exception {
    SealedBody day1;
    SealedBody day40;
    BodyExpiry expiry;
    try (Ledger ledger = open(THIRTY_DAYS)) {
      day1 = ledger.seal("alice", text("prompt of day 1"));
      ledger.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestBody(day1).build());
      clock.set("2026-02-09T14:00:00Z"); // day 40
      day40 = ledger.seal("alice", text("prompt of day 40"));
      ledger.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestBody(day40).build());

      expiry = ledger.expireBodies();

      assertThat(expiry.days()).containsExactly(LocalDate.parse("2026-01-01"));
      assertThat(expiry.keys()).isEqualTo(1);
      assertThat(expiry.expiredThrough()).isEqualTo(LocalDate.parse("2026-01-09"));
      assertThat(ledger.unseal(day1)).isEmpty();
      assertThat(ledger.unseal(day40)).hasValueSatisfying(b -> assertThat(b).isEqualTo(text("prompt of day 40")));
      assertThat(ledger.expireBodies().nothingExpired()).isTrue(); // nothing left to delete, nothing appended
      assertThat(ledger.head().size()).isEqualTo(3);
    }
    assertThat(dir.resolve("keys/subjects/2026-01-01")).doesNotExist();
    assertThat(dir.resolve("keys/subjects/2026-02-09/" + day40.subject() + ".key")).isRegularFile();

    List<LedgerEntry> entries = LedgerReader.readAll(dir);
    assertThat(entries).hasSize(3);
    LedgerEntry recorded = entries.get(2);
    assertThat(expiry.entry()).isNotNull();
    assertThat(recorded.seq()).isEqualTo(expiry.entry().seq());
    assertThat(recorded.entryKind()).contains(EntryKind.ERASURE);
    assertThat(recorded.decision()).isEqualTo("expired");
    assertThat(recorded.subject()).isNull();
    assertThat(recorded.attrs()).isEqualTo(Map.of(
        "retention", "P30D",
        "expired_through", "2026-01-09",
        "days", "1",
        "keys", "1",
        "reason", "body retention P30D: keys of bodies sealed through 2026-01-09 deleted"));
    // The entries holding the expired body are untouched: the chain and every checkpoint still verify.
    assertThat(entries.get(0).requestBody().ciphertext()).isEqualTo(day1.ciphertext());
    assertThat(LedgerVerifier.verify(dir).summary()).startsWith("OK 3 entries");
    try (Ledger reopened = open(THIRTY_DAYS)) {
      assertThat(reopened.unseal(entries.get(0).requestBody())).isEmpty();
      assertThat(reopened.unseal(entries.get(1).requestBody())).isPresent();
    }
  }

  @Test
  void aBodyStaysReadableForTheWholeRetentionAndExpiresTheDayAfter() {
    try (Ledger ledger = open(THIRTY_DAYS)) {
      SealedBody body = ledger.seal("bob", text("kept 30 days"));
      clock.set("2026-01-31T23:59:59Z"); // day 1 + 30: a body sealed at the end of day 1 is not 30 days old yet
      assertThat(ledger.expireBodies().nothingExpired()).isTrue();
      assertThat(ledger.unseal(body)).isPresent();
      clock.set("2026-02-01T00:00:00Z");
      assertThat(ledger.expireBodies().days()).containsExactly(LocalDate.parse("2026-01-01"));
      assertThat(ledger.unseal(body)).isEmpty();
    }
  }

  @Test
  void expiresEveryOldDayAtOnceAndCountsTheirKeys() {
    try (Ledger ledger = open(Duration.ofDays(2))) {
      for (int day = 0; day < 4; day++) {
        ledger.seal("carol", text("c"));
        ledger.seal("dave", text("d"));
        clock.advance(Duration.ofDays(1));
      }
      // Now day 5 (2026-01-05): days 1 and 2 are older than two full days, days 3 and 4 are not.
      BodyExpiry expiry = ledger.expireBodies();
      assertThat(expiry.days()).containsExactly(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-02"));
      assertThat(expiry.keys()).isEqualTo(4);
      assertThat(LedgerReader.readAll(dir)).singleElement()
          .satisfies(e -> assertThat(e.attrs()).containsEntry("days", "2").containsEntry("keys", "4")
              .containsEntry("expired_through", "2026-01-02").containsEntry("retention", "P2D"));
    }
  }

  @Test
  void retentionIsAppliedWhenTheLedgerOpens() {
    SealedBody old;
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).clock(clock).build())) {
      old = ledger.seal("erin", text("sealed while retention was off"));
      ledger.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestBody(old).build());
    }
    clock.set("2026-03-01T00:00:00Z");
    try (Ledger ledger = open(THIRTY_DAYS)) {
      assertThat(ledger.unseal(old)).isEmpty();
      assertThat(LedgerReader.readAll(dir)).last().satisfies(e -> {
        assertThat(e.entryKind()).contains(EntryKind.ERASURE);
        assertThat(e.attrs()).containsEntry("expired_through", "2026-01-29");
      });
    }
    assertThat(dir.resolve("keys/subjects/2026-01-01")).doesNotExist();
    assertThat(LedgerVerifier.verify(dir).ok()).isTrue();
  }

  @Test
  void retentionIsAppliedPeriodicallyWhileTheLedgerIsOpen() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).clock(clock).bodyRetention(THIRTY_DAYS)
        .bodyRetentionCheckInterval(Duration.ofMillis(20)).build())) {
      SealedBody body = ledger.seal("frank", text("f"));
      clock.set("2026-03-01T00:00:00Z");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (ledger.head().size() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(ledger.head().size()).as("entries after the scheduled run").isEqualTo(1);
      assertThat(ledger.unseal(body)).isEmpty();
      assertThat(dir.resolve("keys/subjects/2026-01-01")).doesNotExist();
    }
  }

  @Test
  void withoutRetentionBodiesAreKeptAndExpiringIsRefused() {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).clock(clock).build())) {
      SealedBody body = ledger.seal("grace", text("g"));
      clock.set("2036-01-01T00:00:00Z");
      assertThatThrownBy(ledger::expireBodies).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("has no body retention (expected: LedgerOptions.builder().bodyRetention(");
      assertThat(ledger.unseal(body)).isPresent();
    }
  }

  @Test
  void retentionIsCountedInWholeDays() {
    assertThatThrownBy(() -> LedgerOptions.builder().dir(dir).bodyRetention(Duration.ofHours(36)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bodyRetention PT36H (expected: whole days, at least P1D, e.g. Duration.ofDays(30))");
    assertThatThrownBy(() -> LedgerOptions.builder().dir(dir).bodyRetention(Duration.ZERO).build())
        .hasMessageStartingWith("bodyRetention PT0S (expected: whole days");
  }

  @Test
  void aClosedLedgerDeletesNothingItCannotRecord() {
    Ledger ledger = open(THIRTY_DAYS);
    ledger.seal("heidi", text("h"));
    ledger.close();
    clock.set("2026-03-01T00:00:00Z");
    assertThatThrownBy(ledger::expireBodies).isInstanceOf(LedgerUnavailableException.class);
    assertThat(dir.resolve("keys/subjects/2026-01-01")).isDirectory();
  }

  @Test
  void anExpiredDayReadsAsExpiredButADayThatNeverHadAKeyAsTampered() throws Exception {
    try (Ledger ledger = open(THIRTY_DAYS)) {
      SealedBody body = ledger.seal("ivan", text("i"));
      clock.set("2026-03-01T00:00:00Z");
      ledger.expireBodies();
      assertThat(Files.readString(dir.resolve("keys/subjects/expired-through")).strip()).isEqualTo("2026-01-01");
      assertThat(ledger.unseal(body)).isEmpty();
      // The horizon is the newest day whose keys were deleted: every day up to it reads as expired...
      assertThat(ledger.unseal(withEpoch(body, "2025-12-20"))).isEmpty();
      // ...while a later day the subject never had a key for can only come from an edited entry.
      assertThatThrownBy(() -> ledger.unseal(withEpoch(body, "2026-01-15")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the day has not expired (expired through 2026-01-01)");
    }
  }

  private static SealedBody withEpoch(SealedBody body, String epoch) {
    Map<String, Object> json = new java.util.TreeMap<>(body.toJson());
    json.put("epoch", epoch);
    return SealedBody.fromJson(json);
  }
}
