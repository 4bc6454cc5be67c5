package dev.warden.compliance.render;

import dev.warden.compliance.Soc2Report;
import dev.warden.compliance.Soc2Report.AccessReviewRow;
import dev.warden.compliance.Soc2Report.ActivityRow;
import dev.warden.compliance.Soc2Report.ChainVerification;
import dev.warden.compliance.Soc2Report.Check;
import dev.warden.compliance.Soc2Report.CheckpointRef;
import dev.warden.compliance.Soc2Report.CountRow;
import dev.warden.compliance.Soc2Report.Erasure;
import dev.warden.compliance.Soc2Report.FailedAuthentication;
import dev.warden.compliance.Soc2Report.PrivilegedChange;
import dev.warden.compliance.Soc2Report.Reconciliation;
import dev.warden.compliance.Soc2Report.SpendRow;
import dev.warden.ledger.json.Rfc3339;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The report as an ordered tree of maps, lists and scalars: the one schema behind both the JSON and the CSV. Member
 * order is fixed here (not alphabetical: status comes first, so a failed verification is the first thing read).
 * Every member is always present, {@code null} when unknown; amounts are decimal strings (as in the ledger) and
 * times RFC 3339 UTC with six fraction digits.
 */
public final class ReportTree {
  public static final String FAIL_WARNING = "LEDGER VERIFICATION OR RECONCILIATION FAILED: this report does not"
      + " describe a verified, complete record and must not be relied on as such. See status_reasons.";

  private ReportTree() {}

  public static Map<String, @Nullable Object> of(Soc2Report r) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("schema", Soc2Report.SCHEMA);
    m.put("status", r.status().name());
    m.put("warning", r.ok() ? null : FAIL_WARNING);
    m.put("status_reasons", r.statusReasons());
    m.put("scope", obj(
        "organisation", r.scope().organisation(),
        "from", time(r.scope().from()),
        "to", time(r.scope().to()),
        "to_is_exclusive", true,
        "generated_at", time(r.scope().generatedAt()),
        "ledgers", r.scope().ledgers(),
        "query", r.scope().query(),
        "signature_keys", r.scope().keySource()));
    m.put("ledger_verification", r.chains().stream().map(ReportTree::chain).toList());
    m.put("reconciliation", reconciliation(r.reconciliation()));
    m.put("activity_by_user", r.activityByUser().stream().map(ReportTree::activity).toList());
    m.put("activity_by_key", r.activityByKey().stream().map(ReportTree::activity).toList());
    m.put("activity_by_team", r.activityByTeam().stream().map(ReportTree::activity).toList());
    m.put("activity_by_model", r.activityByModel().stream().map(ReportTree::activity).toList());
    m.put("failed_authentications", r.failedAuthentications().stream().map(ReportTree::failedAuth).toList());
    m.put("failed_authentications_by_source", counts(r.failedAuthenticationsBySource()));
    m.put("privileged_changes", r.privilegedChanges().stream().map(ReportTree::change).toList());
    m.put("access_review", r.accessReview().stream().map(ReportTree::access).toList());
    m.put("guardrails", obj(
        "by_decision", counts(r.guardrails().byDecision()),
        "by_direction_and_decision", counts(r.guardrails().byDirectionAndDecision()),
        "blocked_by", counts(r.guardrails().blockedBy()),
        "entities", counts(r.guardrails().entities()),
        "content_policy_rejections", r.guardrails().policyRejections()));
    m.put("spend_by_team", r.spendByTeam().stream().map(ReportTree::spend).toList());
    m.put("spend_by_key", r.spendByKey().stream().map(ReportTree::spend).toList());
    m.put("retention", obj(
        "retention_settings", r.retention().retentionSettings(),
        "erasure_settings", r.retention().erasureSettings(),
        "erasures", r.retention().erasures().stream().map(ReportTree::erasure).toList()));
    return m;
  }

  private static Map<String, @Nullable Object> chain(ChainVerification c) {
    return obj(
        "chain", c.chain(),
        "ledger", c.ledger(),
        "status", c.ok() ? "OK" : "FAIL",
        "verifier", c.verified(),
        "read_error", c.readError(),
        "gaps", c.gaps(),
        "entries_in_chain", c.entriesInChain(),
        "head", c.head(),
        "entries_in_period", c.entriesInPeriod(),
        "first_seq_in_period", c.firstSeq(),
        "last_seq_in_period", c.lastSeq(),
        "last_hash_in_period", c.lastHashInPeriod(),
        "covering_checkpoint", c.coveringCheckpoint() == null ? null : checkpoint(c.coveringCheckpoint()),
        "newest_checkpoint", c.newestCheckpoint() == null ? null : checkpoint(c.newestCheckpoint()),
        "checkpoints_in_period", c.checkpointsInPeriod().stream().map(ReportTree::checkpoint).toList(),
        "checkpoint_key_ids", c.checkpointKeyIds(),
        "notes", c.notes());
  }

  private static Map<String, @Nullable Object> checkpoint(CheckpointRef c) {
    return obj("size", c.size(), "head", c.head(), "root", c.root(), "time", time(c.time()), "key_id", c.keyId(),
        "sig", c.signature());
  }

  private static Map<String, @Nullable Object> reconciliation(Reconciliation r) {
    Map<String, Object> byStatus = new LinkedHashMap<>();
    new TreeMap<>(r.rejectionsByStatus()).forEach((k, v) -> byStatus.put(Integer.toString(k), v));
    List<Map<String, @Nullable Object>> checks = new ArrayList<>();
    for (Check c : r.checks()) {
      checks.add(obj("check", c.name(), "expected", c.expected(), "actual", c.actual(), "ok", c.ok()));
    }
    return obj(
        "entries", r.entries(),
        "entries_by_kind", new TreeMap<>(r.entriesByKind()),
        "requests", r.requests(),
        "responses", r.responses(),
        "answered", r.answered(),
        "failed_after_forwarding", r.failedAfterForwarding(),
        "requests_without_response", r.requestsWithoutResponse(),
        "responses_to_earlier_requests", r.responsesForEarlierRequests(),
        "rejections", r.rejections(),
        "rejections_by_status", byStatus,
        "rejections_by_reason", new TreeMap<>(r.rejectionsByReason()),
        "checks", checks);
  }

  private static Map<String, @Nullable Object> activity(ActivityRow a) {
    return obj("name", a.name(), "requests", a.requests(), "answered", a.answered(), "failed", a.failed(),
        "refused", a.refused(), "input_tokens", a.inputTokens(), "output_tokens", a.outputTokens(),
        "cost_usd", amount(a.costUsd()));
  }

  private static Map<String, @Nullable Object> failedAuth(FailedAuthentication f) {
    return obj("time", time(f.time()), "chain", f.chain(), "seq", f.seq(), "kind", f.kind(), "user", f.user(),
        "key_id", f.keyId(), "source", f.source(), "reason", f.reason());
  }

  private static Map<String, @Nullable Object> change(PrivilegedChange c) {
    return obj("time", time(c.time()), "chain", c.chain(), "seq", c.seq(), "actor", c.actor(), "action",
        c.action(), "target", c.target(), "details", c.details(), "source", c.source());
  }

  private static Map<String, @Nullable Object> access(AccessReviewRow a) {
    return obj("user", a.user(), "roles", a.roles(), "last_login", time(a.lastLogin()), "last_method",
        a.lastMethod(), "issuer", a.issuer(), "logins_in_period", a.loginsInPeriod(), "failed_logins_in_period",
        a.failedLoginsInPeriod(), "admin_changes_in_period", a.adminChangesInPeriod(), "privileged",
        a.privileged());
  }

  private static Map<String, @Nullable Object> spend(SpendRow s) {
    return obj("name", s.name(), "responses", s.responses(), "input_tokens", s.inputTokens(), "output_tokens",
        s.outputTokens(), "cost_usd", amount(s.costUsd()));
  }

  private static Map<String, @Nullable Object> erasure(Erasure e) {
    return obj("time", time(e.time()), "chain", e.chain(), "seq", e.seq(), "subject_ref", e.subjectRef(),
        "actor", e.actor(), "reason", e.reason());
  }

  private static List<Map<String, @Nullable Object>> counts(List<CountRow> rows) {
    return rows.stream().map(c -> obj("name", c.name(), "count", c.count())).toList();
  }

  /** RFC 3339 with six fraction digits, as the ledger writes times. */
  public static @Nullable String time(@Nullable Instant t) {
    return t == null ? null : Rfc3339.format(t);
  }

  /** A decimal amount without trailing zeros and never in exponent form: "0.0123", "12", "0". */
  public static String amount(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  private static Map<String, @Nullable Object> obj(@Nullable Object... kv) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
