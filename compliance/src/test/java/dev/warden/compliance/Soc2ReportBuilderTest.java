package dev.warden.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.compliance.Soc2Report.ActivityRow;
import dev.warden.compliance.Soc2Report.CountRow;
import dev.warden.compliance.Soc2Report.SpendRow;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.EntryKind;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.checkpoint.Checkpoint;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Soc2ReportBuilderTest {
  @TempDir static Path tmp;
  static Path ledger;
  static Soc2Report report;

  @BeforeAll
  static void writeLedger() throws IOException {
    ledger = KnownTraffic.write(tmp.resolve("ledger"), "gw-1");
    report = build(ledger);
  }

  static Soc2Report build(Path... dirs) {
    Soc2ReportBuilder b = Soc2ReportBuilder.create().period(KnownTraffic.FROM, KnownTraffic.TO)
        .settings(new ReportSettings("Acme Corp", "encrypted bodies 30 days", "crypto-shredding per subject"));
    for (Path d : dirs) {
      b.ledger(d);
    }
    return b.build();
  }

  @Test
  void intactLedgerGivesAnOkReportWithTheChainsHeadAndCheckpoint() {
    assertThat(report.status()).isEqualTo(Soc2Report.Status.OK);
    assertThat(report.statusReasons()).isEmpty();
    var c = report.chains().getFirst();
    assertThat(c.chain()).isEqualTo("gw-1");
    assertThat(c.ok()).isTrue();
    assertThat(c.verified()).startsWith("OK 21 entries, head " + c.head());
    assertThat(c.entriesInChain()).isEqualTo(21);
    assertThat(c.entriesInPeriod()).isEqualTo(19);
    assertThat(c.firstSeq()).isEqualTo(1);
    assertThat(c.lastSeq()).isEqualTo(19);
    assertThat(c.gaps()).isEmpty();
    assertThat(c.coveringCheckpoint()).isNotNull();
    assertThat(c.coveringCheckpoint().size()).isEqualTo(21); // the final one, at close
    assertThat(c.checkpointsInPeriod()).extracting(Soc2Report.CheckpointRef::size).containsExactly(14L);
    assertThat(c.checkpointKeyIds()).hasSize(1).allMatch(id -> id.startsWith("ed25519-"));
  }

  @Test
  void theCheckpointsInTheReportCanBeCheckedOnTheirOwnWithThePublicKey() throws IOException {
    var pub = ReportSigningKeys.demoKey(ledger).orElseThrow().publicKey();
    var c = report.chains().getFirst();
    for (Soc2Report.CheckpointRef cp : List.of(c.coveringCheckpoint(), c.checkpointsInPeriod().getFirst())) {
      assertThat(new Checkpoint(c.chain(), cp.size(), cp.head(), cp.root(), cp.time(), cp.keyId(), cp.signature())
          .verifySignature(pub)).isTrue();
    }
  }

  @Test
  void countsReconcileWithTheEntriesWritten() {
    var r = report.reconciliation();
    assertThat(r.entries()).isEqualTo(19);
    assertThat(r.entriesByKind()).containsExactlyInAnyOrderEntriesOf(Map.of("login", 4L, "admin_change", 2L,
        "request", 4L, "response", 3L, "rejection", 3L, "guardrail_verdict", 2L, "erasure", 1L));
    assertThat(r.requests()).isEqualTo(4);
    assertThat(r.answered()).isEqualTo(2);
    assertThat(r.failedAfterForwarding()).isEqualTo(1);
    assertThat(r.requestsWithoutResponse()).isEqualTo(1);
    assertThat(r.responsesForEarlierRequests()).isZero();
    assertThat(r.rejectionsByStatus()).containsExactlyInAnyOrderEntriesOf(Map.of(401, 1L, 403, 1L, 429, 1L));
    assertThat(r.checks()).isNotEmpty().allMatch(Soc2Report.Check::ok);
  }

  @Test
  void activityIsAttributedByUserKeyTeamAndModelIncludingThroughRequestId() {
    assertThat(report.activityByUser()).containsExactly(
        new ActivityRow("(none)", 0, 0, 0, 1, 0, 0, BigDecimal.ZERO),
        new ActivityRow("alice", 2, 1, 1, 1, 100, 50, new BigDecimal("0.0015")),
        new ActivityRow("bob", 2, 1, 0, 1, 200, 100, new BigDecimal("0.003")));
    assertThat(report.activityByModel()).extracting(ActivityRow::name)
        .containsExactly("(none)", "claude-sonnet-4", "gpt-4.1");
    assertThat(report.spendByTeam()).containsExactly(
        new SpendRow("search", 1, 200, 100, new BigDecimal("0.003")),
        new SpendRow("payments", 2, 100, 50, new BigDecimal("0.0015")));
    assertThat(report.spendByKey()).extracting(SpendRow::name).containsExactly("vk_2", "vk_1");
  }

  @Test
  void failedAuthenticationsPrivilegedChangesAndAccessReview() {
    assertThat(report.failedAuthentications()).extracting(f -> f.kind() + " " + f.source() + " " + f.reason())
        .containsExactly("login 203.0.113.9 login_failed (oidc)", "rejection 198.51.100.7 invalid_api_key");
    assertThat(report.failedAuthenticationsBySource()).extracting(CountRow::name)
        .containsExactly("198.51.100.7", "203.0.113.9");
    assertThat(report.privilegedChanges()).extracting(c -> c.actor() + " " + c.action() + " " + c.target())
        .containsExactly("alice key.create vk_3", "admin-token key.revoke vk_2");
    assertThat(report.accessReview()).extracting(a -> a.user() + " " + a.roles() + " " + a.privileged()
        + " " + a.loginsInPeriod() + " " + a.failedLoginsInPeriod() + " " + a.adminChangesInPeriod())
        .containsExactly(
            "admin-token null true 1 0 1",
            "alice warden-admin,developer true 1 0 1",
            "bob developer false 1 1 0");
  }

  @Test
  void guardrailsAndErasures() {
    var g = report.guardrails();
    assertThat(g.byDecision()).containsExactly(new CountRow("block", 1), new CountRow("redact", 1));
    assertThat(g.blockedBy()).containsExactly(new CountRow("bedrock", 1));
    assertThat(g.entities()).containsExactly(new CountRow("EMAIL", 3), new CountRow("PHONE", 1));
    assertThat(g.policyRejections()).isEqualTo(1);
    assertThat(report.retention().retentionSettings()).isEqualTo("encrypted bodies 30 days");
    assertThat(report.retention().erasures()).singleElement().satisfies(e -> {
      assertThat(e.actor()).isEqualTo("alice");
      assertThat(e.reason()).isEqualTo("GDPR Art. 17 request");
      assertThat(e.subjectRef()).isNotBlank().doesNotContain("subject-42");
    });
  }

  @Test
  void twoChainsAreReportedSeparatelyAndSummed() throws IOException {
    Path second = KnownTraffic.write(tmp.resolve("ledger-2"), "gw-2");
    Soc2Report both = build(ledger, second);
    assertThat(both.ok()).isTrue();
    assertThat(both.chains()).extracting(Soc2Report.ChainVerification::chain).containsExactly("gw-1", "gw-2");
    assertThat(both.reconciliation().entries()).isEqualTo(38);
    assertThat(both.privilegedChanges()).extracting(Soc2Report.PrivilegedChange::chain)
        .containsExactly("gw-1", "gw-1", "gw-2", "gw-2"); // same times: ordered by chain, then seq
  }

  @Test
  void aTamperedEntryMakesTheReportFail() throws IOException {
    Path copy = copy(ledger, tmp.resolve("tampered"));
    Path seg = segment(copy);
    String text = Files.readString(seg, StandardCharsets.UTF_8);
    Files.writeString(seg, text.replaceFirst("\"key.create\"", "\"key.update\""), StandardCharsets.UTF_8);

    Soc2Report r = build(copy);
    assertThat(r.status()).isEqualTo(Soc2Report.Status.FAIL);
    assertThat(r.chains().getFirst().ok()).isFalse();
    assertThat(r.chains().getFirst().verified()).startsWith("FAIL at entry 5");
    assertThat(r.statusReasons()).anyMatch(s -> s.contains("failed verification: FAIL at entry 5"));
  }

  @Test
  void aSequenceGapIsListedAndFailsTheReport() throws IOException {
    Path copy = copy(ledger, tmp.resolve("gap"));
    Path seg = segment(copy);
    List<String> lines = new ArrayList<>(Files.readAllLines(seg, StandardCharsets.UTF_8));
    lines.remove(8); // entry 8: a request
    Files.write(seg, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));

    Soc2Report r = build(copy);
    assertThat(r.ok()).isFalse();
    assertThat(r.chains().getFirst().gaps()).containsExactly("gap: entries 8..8 missing");
    assertThat(r.statusReasons()).anyMatch(s -> s.contains("gap: entries 8..8 missing"));
    assertThat(r.reconciliation().checks()).anyMatch(c -> !c.ok() && c.name().contains("no gap"));
  }

  @Test
  void anUnreadableLineStillGivesAFailingReport() throws IOException {
    Path copy = copy(ledger, tmp.resolve("garbled"));
    Path seg = segment(copy);
    List<String> lines = new ArrayList<>(Files.readAllLines(seg, StandardCharsets.UTF_8));
    lines.set(10, "{not json");
    Files.write(seg, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));

    Soc2Report r = build(copy);
    assertThat(r.ok()).isFalse();
    assertThat(r.chains().getFirst().readError()).contains("line 11");
    assertThat(r.statusReasons()).anyMatch(s -> s.contains("could not be read completely"));
  }

  @Test
  void aLedgerThatKeepsGrowingWhileTheReportIsBuiltStillGivesAnOkReport() throws Exception {
    Path dir = tmp.resolve("live");
    Instant start = Instant.now();
    try (Ledger l = Ledger.open(LedgerOptions.builder().dir(dir).chainId("gw-live").build())) {
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer = Thread.ofVirtual().start(() -> {
        for (int i = 0; !stop.get(); i++) {
          l.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestId("live-" + i).model("m").build());
        }
      });
      try {
        for (int run = 0; run < 5; run++) {
          Soc2Report r = Soc2ReportBuilder.create().ledger(dir)
              .period(start.minusSeconds(3600), start.plusSeconds(3600)).build();
          assertThat(r.statusReasons()).isEmpty();
          assertThat(r.reconciliation().checks()).allMatch(Soc2Report.Check::ok);
        }
      } finally {
        stop.set(true);
        writer.join();
      }
    }
  }

  static Path segment(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().findFirst().orElseThrow();
    }
  }

  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }
}
