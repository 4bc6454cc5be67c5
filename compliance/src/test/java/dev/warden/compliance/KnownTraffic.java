package dev.warden.compliance;

import dev.warden.ledger.Actor;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.EntryKind;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.Tokens;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A ledger with known traffic on 2026-11-01 (the period), one login the day before and one request the day after.
 * The expected counts are spelled out in {@link Soc2ReportBuilderTest}.
 */
public final class KnownTraffic {
  public static final LocalDate FROM = LocalDate.parse("2026-11-01");
  public static final LocalDate TO = LocalDate.parse("2026-11-02");
  static final Instant DAY = FROM.atStartOfDay(ZoneOffset.UTC).toInstant();

  static final Actor ALICE = new Actor("vk_1", "alice", "payments", "acme");
  static final Actor BOB = new Actor("vk_2", "bob", "search", "acme");

  private KnownTraffic() {}

  /** Writes the known traffic as chain {@code chain} into {@code dir}; returns dir. */
  public static Path write(Path dir, String chain) throws IOException {
    StepClock clock = new StepClock(DAY.minus(Duration.ofDays(1)));
    try (Ledger l = Ledger.open(LedgerOptions.builder().dir(dir).chainId(chain).clock(clock)
        .checkpointInterval(Duration.ofHours(1)).checkpointEvery(1_000_000).build())) {
      clock.at(DAY.minus(Duration.ofHours(14)));
      l.append(login(ALICE, "login", "10.0.0.5", "warden-admin,developer"));

      clock.at(DAY.plus(Duration.ofHours(8)));
      l.append(login(ALICE, "login", "10.0.0.5", "warden-admin,developer"));
      l.append(login(Actor.ofUser("bob"), "login_failed", "203.0.113.9", null));
      l.append(login(Actor.ofUser("bob"), "login", "10.0.0.6", "developer"));
      l.append(EntryDraft.builder().kind(EntryKind.LOGIN).actor(Actor.ofUser("admin-token"))
          .decision("admin_token_used").source("10.0.0.1").attr("method", "admin-token").build());
      l.append(admin(ALICE, "key.create", "vk_3", "team=payments models=gpt-4.1"));
      l.append(admin(Actor.ofUser("admin-token"), "key.revoke", "vk_2", "revoked, \"leaked\""));

      clock.at(DAY.plus(Duration.ofHours(9)));
      l.append(request("r1", ALICE, "gpt-4.1"));
      l.append(response("r1", ALICE, "gpt-4.1", 200, 100, 50, "0.0015"));
      l.append(request("r2", ALICE, "gpt-4.1"));
      l.append(response("r2", ALICE, "gpt-4.1", 502, 0, 0, "0"));
      l.append(request("r3", BOB, "claude-sonnet-4"));
      l.append(response("r3", null, null, 200, 200, 100, "0.003")); // attributed through request_id r3
      l.append(request("r4", BOB, "claude-sonnet-4")); // still in flight at the end of the period
      l.checkpoint(); // signed inside the period: covers everything so far

      clock.at(DAY.plus(Duration.ofHours(10)));
      l.append(EntryDraft.builder().kind(EntryKind.REJECTION).status(401).decision("invalid_api_key")
          .source("198.51.100.7").requestId("x1").build());
      l.append(EntryDraft.builder().kind(EntryKind.REJECTION).actor(ALICE).model("gpt-4.1").status(429)
          .decision("rate_limit_exceeded").source("10.0.0.5").requestId("x2").build());
      l.append(EntryDraft.builder().kind(EntryKind.REJECTION).actor(BOB).model("claude-sonnet-4").status(403)
          .decision("content_policy_violation").source("10.0.0.6").requestId("x3").build());
      l.append(EntryDraft.builder().kind(EntryKind.GUARDRAIL_VERDICT).actor(ALICE).decision("redact")
          .attr("direction", "input").attr("entity.EMAIL", "2").attr("entity.PHONE", "1")
          .attr("summary", "2 emails, 1 phone").build());
      l.append(EntryDraft.builder().kind(EntryKind.GUARDRAIL_VERDICT).actor(BOB).decision("block")
          .attr("direction", "input").attr("blocked_by", "bedrock").attr("entity.EMAIL", "1").build());
      l.erase("subject-42", ALICE, "GDPR Art. 17 request");

      clock.at(DAY.plus(Duration.ofHours(25))); // the next day: outside the period
      l.append(request("r5", ALICE, "gpt-4.1"));
    }
    return dir;
  }

  private static EntryDraft login(Actor who, String decision, String source, String roles) {
    EntryDraft.Builder b = EntryDraft.builder().kind(EntryKind.LOGIN).actor(who).decision(decision).source(source)
        .attr("method", "oidc").attr("issuer", "https://okta.example.com");
    if (roles != null) {
      b.attr("roles", roles);
    }
    return b.build();
  }

  private static EntryDraft admin(Actor who, String action, String target, String details) {
    return EntryDraft.builder().kind(EntryKind.ADMIN_CHANGE).actor(who).decision(action).source("10.0.0.1")
        .attr("target", target).attr("details", details).build();
  }

  private static EntryDraft request(String id, Actor who, String model) {
    return EntryDraft.builder().kind(EntryKind.REQUEST).actor(who).model(model).decision("forwarded")
        .source("10.0.0.9").requestId(id).build();
  }

  private static EntryDraft response(String id, Actor who, String model, int status, long in, long out,
      String cost) {
    return EntryDraft.builder().kind(EntryKind.RESPONSE).actor(who).model(model).provider("demo").status(status)
        .tokens(Tokens.of(in, out)).costUsd(new BigDecimal(cost)).latencyMs(120L).requestId(id)
        .attr("attempts", "1").build();
  }

  /** A clock the test moves; the ledger stamps entries with it, so the files are the same on every run. */
  static final class StepClock extends Clock {
    private volatile Instant now;

    StepClock(Instant now) {
      this.now = now;
    }

    void at(Instant t) {
      now = t;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
