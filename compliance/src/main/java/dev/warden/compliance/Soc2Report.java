package dev.warden.compliance;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A SOC 2 period report over one or more ledger chains, as plain data. Built by {@link Soc2ReportBuilder}, rendered
 * by the classes in {@code dev.warden.compliance.render}. Every list is in a stable order (documented on each
 * record) so that the same inputs always render to the same bytes.
 *
 * <p>{@link #status()} is {@link Status#FAIL} whenever a chain failed verification, could not be read completely, or a
 * reconciliation check did not balance; renderers put that first, so a broken chain never yields a clean report.
 */
public record Soc2Report(
    Scope scope,
    Status status,
    List<String> statusReasons,
    List<ChainVerification> chains,
    Reconciliation reconciliation,
    List<ActivityRow> activityByUser,
    List<ActivityRow> activityByKey,
    List<ActivityRow> activityByTeam,
    List<ActivityRow> activityByModel,
    List<FailedAuthentication> failedAuthentications,
    List<CountRow> failedAuthenticationsBySource,
    List<PrivilegedChange> privilegedChanges,
    List<AccessReviewRow> accessReview,
    GuardrailSummary guardrails,
    List<SpendRow> spendByTeam,
    List<SpendRow> spendByKey,
    Retention retention) {

  public static final String SCHEMA = "warden.soc2-report/v1";

  public Soc2Report {
    requireNonNull(scope, "scope");
    requireNonNull(status, "status");
    statusReasons = List.copyOf(statusReasons);
    chains = List.copyOf(chains);
    activityByUser = List.copyOf(activityByUser);
    activityByKey = List.copyOf(activityByKey);
    activityByTeam = List.copyOf(activityByTeam);
    activityByModel = List.copyOf(activityByModel);
    failedAuthentications = List.copyOf(failedAuthentications);
    failedAuthenticationsBySource = List.copyOf(failedAuthenticationsBySource);
    privilegedChanges = List.copyOf(privilegedChanges);
    accessReview = List.copyOf(accessReview);
    spendByTeam = List.copyOf(spendByTeam);
    spendByKey = List.copyOf(spendByKey);
  }

  public boolean ok() {
    return status == Status.OK;
  }

  public enum Status {
    /** Every chain verified, was read completely and every reconciliation check balanced. */
    OK,
    /** Something did not: the report says what in {@link #statusReasons()} and must not be relied on as complete. */
    FAIL
  }

  /**
   * What was asked, stated so an auditor can repeat it (AT-C 205.36: the query behind the evidence).
   *
   * @param from start of the period, inclusive
   * @param to end of the period, exclusive
   * @param generatedAt when the report was made, if the caller chose to state it (omitted keeps output byte-stable)
   * @param ledgers the ledger directories read, as given
   * @param query the selection rule in words
   */
  public record Scope(String organisation, Instant from, Instant to, @Nullable Instant generatedAt,
      List<String> ledgers, String query, String keySource) {
    public Scope {
      ledgers = List.copyOf(ledgers);
    }
  }

  /**
   * One chain (one replica): the verifier's verdict over the whole chain, and what of it falls in the period.
   *
   * @param verified the verifier's first line, {@code OK …} or {@code FAIL at entry …}
   * @param readError set when the entries could not all be read; the sections then cover a prefix only
   * @param firstSeq first sequence number in the period, null when no entry falls in it
   * @param coveringCheckpoint the first signed checkpoint that covers the last entry of the period, if any
   * @param newestCheckpoint the checkpoint covering the most entries, if any
   * @param checkpointsInPeriod checkpoints signed during the period, in file order
   * @param gaps sequence problems seen while reading ({@code gap: entries 12..14 missing}, a repeat, or a count
   *     that disagrees with the verifier's), empty when the chain was read complete
   * @param head hash of the last entry read (the chain's head when intact), null for an empty chain
   */
  public record ChainVerification(
      String ledger,
      String chain,
      boolean ok,
      String verified,
      List<String> notes,
      @Nullable String readError,
      long entriesInChain,
      @Nullable String head,
      long entriesInPeriod,
      @Nullable Long firstSeq,
      @Nullable Long lastSeq,
      @Nullable String lastHashInPeriod,
      @Nullable CheckpointRef coveringCheckpoint,
      @Nullable CheckpointRef newestCheckpoint,
      List<CheckpointRef> checkpointsInPeriod,
      List<String> checkpointKeyIds,
      List<String> gaps) {
    public ChainVerification {
      notes = List.copyOf(notes);
      checkpointsInPeriod = List.copyOf(checkpointsInPeriod);
      checkpointKeyIds = List.copyOf(checkpointKeyIds);
      gaps = List.copyOf(gaps);
    }
  }

  /**
   * A signed checkpoint: the chain had {@code size} entries, the last hashing to {@code head}. With its
   * {@code signature} (Ed25519, base64url, over the canonical JSON of the other members and the chain id) it can be
   * checked on its own with the public key.
   */
  public record CheckpointRef(long size, String head, String root, Instant time, String keyId, String signature) {}

  /**
   * Counts that must agree with one another; each {@link Check} states both sides.
   *
   * @param entriesByKind entries in the period by kind, sorted by kind
   * @param rejectionsByStatus rejection entries by HTTP status, sorted by status
   * @param rejectionsByReason rejection entries by decision (error code), sorted by reason
   */
  public record Reconciliation(
      long entries,
      Map<String, Long> entriesByKind,
      long requests,
      long responses,
      long answered,
      long failedAfterForwarding,
      long requestsWithoutResponse,
      long responsesForEarlierRequests,
      long rejections,
      Map<Integer, Long> rejectionsByStatus,
      Map<String, Long> rejectionsByReason,
      List<Check> checks) {
    public Reconciliation {
      entriesByKind = Map.copyOf(entriesByKind);
      rejectionsByStatus = Map.copyOf(rejectionsByStatus);
      rejectionsByReason = Map.copyOf(rejectionsByReason);
      checks = List.copyOf(checks);
    }
  }

  /** One reconciliation rule and both of its sides (integers, or decimal amounts without trailing zeros). */
  public record Check(String name, String expected, String actual) {
    public boolean ok() {
      return expected.equals(actual);
    }
  }

  /**
   * Traffic of one user, key, team or model, sorted by name. {@code requests} counts requests forwarded,
   * {@code answered} responses with a 2xx status, {@code failed} other responses, {@code refused} rejections.
   */
  public record ActivityRow(String name, long requests, long answered, long failed, long refused,
      long inputTokens, long outputTokens, BigDecimal costUsd) {}

  /** A 401 rejection or a failed login, in (time, chain, seq) order. */
  public record FailedAuthentication(Instant time, String chain, long seq, String kind, @Nullable String user,
      @Nullable String keyId, @Nullable String source, String reason) {}

  /** A count under a name, sorted by count descending, then name. */
  public record CountRow(String name, long count) {}

  /** An {@code admin_change}: who did what to which target, in (time, chain, seq) order. CC6.2, CC8.1. */
  public record PrivilegedChange(Instant time, String chain, long seq, String actor, String action,
      @Nullable String target, @Nullable String details, @Nullable String source) {}

  /**
   * One identity for the access review (CC6.1–6.3), sorted by user. Considers every login up to the end of the
   * period, not only those in it: access granted before the period is still access during it.
   *
   * @param roles the roles of the latest successful login, as recorded ({@code attrs.roles})
   * @param privileged holds an admin role, used the admin token, or made an admin change in the period
   */
  public record AccessReviewRow(String user, @Nullable String roles, @Nullable Instant lastLogin,
      @Nullable String lastMethod, @Nullable String issuer, long loginsInPeriod, long failedLoginsInPeriod,
      long adminChangesInPeriod, boolean privileged) {}

  /**
   * Guardrail verdicts in the period.
   *
   * @param byDecision verdicts by decision (block, redact, allow)
   * @param byDirectionAndDecision verdicts by {@code direction/decision}
   * @param blockedBy blocks by the guardrail that blocked
   * @param entities entities found (summed {@code attrs.entity.*}), by entity type
   * @param policyRejections rejections with decision {@code content_policy_violation}
   */
  public record GuardrailSummary(List<CountRow> byDecision, List<CountRow> byDirectionAndDecision,
      List<CountRow> blockedBy, List<CountRow> entities, long policyRejections) {
    public GuardrailSummary {
      byDecision = List.copyOf(byDecision);
      byDirectionAndDecision = List.copyOf(byDirectionAndDecision);
      blockedBy = List.copyOf(blockedBy);
      entities = List.copyOf(entities);
    }
  }

  /** Spend of one team or key from response entries, sorted by cost descending, then name. */
  public record SpendRow(String name, long responses, long inputTokens, long outputTokens, BigDecimal costUsd) {}

  /** Retention and erasure: the settings as the operator states them, and the tombstones of the period. */
  public record Retention(String retentionSettings, String erasureSettings, List<Erasure> erasures) {
    public Retention {
      erasures = List.copyOf(erasures);
    }
  }

  /** An {@code erasure} tombstone (GDPR Art. 17 crypto-shredding), in (time, chain, seq) order. */
  public record Erasure(Instant time, String chain, long seq, @Nullable String subjectRef, @Nullable String actor,
      @Nullable String reason) {}
}
