package dev.warden.compliance;

import static java.util.Objects.requireNonNull;

import dev.warden.compliance.Soc2Report.AccessReviewRow;
import dev.warden.compliance.Soc2Report.ActivityRow;
import dev.warden.compliance.Soc2Report.ChainVerification;
import dev.warden.compliance.Soc2Report.Check;
import dev.warden.compliance.Soc2Report.CheckpointRef;
import dev.warden.compliance.Soc2Report.CountRow;
import dev.warden.compliance.Soc2Report.Erasure;
import dev.warden.compliance.Soc2Report.FailedAuthentication;
import dev.warden.compliance.Soc2Report.GuardrailSummary;
import dev.warden.compliance.Soc2Report.PrivilegedChange;
import dev.warden.compliance.Soc2Report.Reconciliation;
import dev.warden.compliance.Soc2Report.Retention;
import dev.warden.compliance.Soc2Report.Scope;
import dev.warden.compliance.Soc2Report.SpendRow;
import dev.warden.ledger.Actor;
import dev.warden.ledger.LedgerEntry;
import dev.warden.ledger.LedgerReader;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.checkpoint.PublicKeyRing;
import dev.warden.ledger.store.SegmentFileStore;
import dev.warden.ledger.verify.LedgerVerifier;
import dev.warden.ledger.verify.VerificationResult;
import dev.warden.ledger.verify.VerifyOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Soc2Report} from ledger directories (one chain per gateway replica) for a period
 * {@code [from, to)}. Every chain is verified in full with {@link LedgerVerifier} first; the entries are then read
 * once, streaming, and the period's entries are tallied. Nothing here reads the clock: the verifier's notion of
 * "now" (for checkpoint age) is the stated generation time, or else the end of the period.
 * Why it works this way: {@code compliance/docs/adr/0001-report-evidence-format.md}.
 *
 * <pre>{@code
 * Soc2Report r = Soc2ReportBuilder.create()
 *     .ledger(dataDir.resolve("ledger"))
 *     .period(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-12-01"))
 *     .settings(new ReportSettings("Acme Corp", "bodies 30 days", "crypto-shredding"))
 *     .build();
 * }</pre>
 */
public final class Soc2ReportBuilder {
  static final String NONE = "(none)";

  private final List<Path> ledgers = new ArrayList<>();
  private @Nullable Instant from;
  private @Nullable Instant to;
  private ReportSettings settings = ReportSettings.of("unnamed organisation");
  private @Nullable Instant generatedAt;
  private @Nullable PublicKeyRing trustedKeys;

  private Soc2ReportBuilder() {}

  public static Soc2ReportBuilder create() {
    return new Soc2ReportBuilder();
  }

  /** Adds a ledger directory (one chain). At least one is required. */
  public Soc2ReportBuilder ledger(Path dir) {
    ledgers.add(requireNonNull(dir, "dir"));
    return this;
  }

  /** The period {@code [from, to)}. */
  public Soc2ReportBuilder period(Instant from, Instant to) {
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("period " + from + " .. " + to + " (expected: from before to)");
    }
    this.from = from;
    this.to = to;
    return this;
  }

  /** The period from the start of {@code from} to the start of {@code to} (exclusive), UTC. */
  public Soc2ReportBuilder period(LocalDate from, LocalDate to) {
    return period(from.atStartOfDay(ZoneOffset.UTC).toInstant(), to.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  public Soc2ReportBuilder settings(ReportSettings settings) {
    this.settings = requireNonNull(settings, "settings");
    return this;
  }

  /** States the generation time in the report. Left out by default so that reruns give identical bytes. */
  public Soc2ReportBuilder generatedAt(@Nullable Instant generatedAt) {
    this.generatedAt = generatedAt;
    return this;
  }

  /**
   * Checkpoint public keys obtained from the operator through another channel. Without them the verifier trusts
   * the keys kept in each ledger's {@code keys/} folder, and the report says so.
   */
  public Soc2ReportBuilder trustedKeys(@Nullable PublicKeyRing keys) {
    this.trustedKeys = keys;
    return this;
  }

  public Soc2Report build() {
    if (ledgers.isEmpty()) {
      throw new IllegalStateException("no ledger directory (expected: at least one ledger(dir))");
    }
    if (from == null || to == null) {
      throw new IllegalStateException("no period (expected: period(from, to))");
    }
    Tally t = new Tally(from, to);
    List<ChainVerification> chains = new ArrayList<>();
    for (Path dir : ledgers) {
      chains.add(readChain(dir, t));
    }
    List<String> dirs = ledgers.stream().map(Path::toString).toList();
    String query = "every entry of every chain with " + from + " <= time < " + to
        + " (UTC); the access review also considers logins before the period; each chain is verified in full";
    String keySource = trustedKeys == null
        ? "checkpoint signatures checked with the public keys kept in each ledger's keys/ folder"
        : "checkpoint signatures checked with the public keys given by the operator: "
            + String.join(", ", trustedKeys.keyIds());
    Scope scope = new Scope(settings.organisation(), from, to, generatedAt, dirs, query, keySource);
    return t.finish(chains, scope, settings);
  }

  private ChainVerification readChain(Path dir, Tally t) {
    Instant now = generatedAt != null ? generatedAt : requireNonNull(to);
    VerifyOptions options = trustedKeys == null ? VerifyOptions.defaults() : VerifyOptions.withKeys(trustedKeys);
    VerificationResult verdict = LedgerVerifier.verify(dir, options.withClock(Clock.fixed(now, ZoneOffset.UTC)));

    ChainState c = new ChainState(dir.toString());
    // A live ledger keeps growing between verifying and reading: report on the prefix that was verified.
    long limit = verdict instanceof VerificationResult.Intact intact ? intact.entries() : Long.MAX_VALUE;
    long[] later = {0};
    String readError = null;
    try {
      LedgerReader.forEach(dir, e -> {
        if (e.seq() >= limit && e.seq() == c.expectedSeq) {
          later[0]++;
          c.expectedSeq++;
          return;
        }
        c.see(e, t);
        t.add(e);
      });
    } catch (RuntimeException e) {
      readError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    List<Checkpoint> checkpoints = readCheckpoints(dir);
    String chain = c.chain != null ? c.chain : verdict.chain();

    CheckpointRef covering = null;
    CheckpointRef newest = null;
    List<CheckpointRef> inPeriod = new ArrayList<>();
    Set<String> keyIds = new TreeSet<>();
    for (Checkpoint cp : checkpoints) {
      if (!cp.chain().equals(chain) || cp.size() > limit) {
        continue; // another chain's, or written after the verifier looked: not verified, so not evidence
      }
      if (c.lastSeq != null && cp.size() > c.lastSeq
          && (covering == null || cp.size() < covering.size())) {
        covering = ref(cp);
      }
      if (newest == null || cp.size() >= newest.size()) {
        newest = ref(cp);
      }
      if (t.inPeriod(cp.time())) {
        inPeriod.add(ref(cp));
        keyIds.add(cp.keyId());
      }
    }
    List<String> notes = new ArrayList<>();
    if (later[0] > 0) {
      notes.add(later[0] + " entries appended after verification are not part of this report");
    }
    for (String note : verdict.notes()) {
      // Its age is relative to the report's notion of now, which is not the reader's: the report states the
      // newest checkpoint itself instead.
      if (!note.startsWith("newest checkpoint:")) {
        notes.add(note);
      }
    }
    if (covering != null) {
      keyIds.add(covering.keyId());
    } else if (c.lastSeq != null) {
      notes.add("no signed checkpoint covers entry " + c.lastSeq + ", the last of the period: it is vouched for by"
          + " the hash chain only");
    }
    if (verdict instanceof VerificationResult.Intact intact && readError == null && intact.entries() != c.read) {
      c.problems.add("the verifier counted " + intact.entries() + " entries but " + c.read + " were read");
    }
    return new ChainVerification(dir.toString(), chain, verdict.ok() && readError == null && c.problems.isEmpty(),
        verdict.summary(), notes, readError, c.read, c.head, c.inPeriod, c.firstSeq, c.lastSeq, c.lastHash,
        covering, newest,
        inPeriod, List.copyOf(keyIds), c.problems);
  }

  private static List<Checkpoint> readCheckpoints(Path dir) {
    Path file = dir.resolve(SegmentFileStore.CHECKPOINTS);
    List<Checkpoint> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(Checkpoint.parse(line.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
          // The verifier names the bad checkpoint; here it is just not offered as evidence.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static CheckpointRef ref(Checkpoint cp) {
    return new CheckpointRef(cp.size(), cp.head(), cp.root(), cp.time(), cp.keyId(), cp.signature());
  }

  /** Per chain: the sequence as read (gaps, first and last of the period). */
  private static final class ChainState {
    final String ledger;
    @Nullable String chain;
    long expectedSeq;
    long read;
    long inPeriod;
    @Nullable Long firstSeq;
    @Nullable Long lastSeq;
    @Nullable String lastHash;
    @Nullable String head;
    final List<String> problems = new ArrayList<>();

    ChainState(String ledger) {
      this.ledger = ledger;
    }

    void see(LedgerEntry e, Tally t) {
      if (chain == null) {
        chain = e.chain();
      }
      if (e.seq() != expectedSeq) {
        problems.add(e.seq() > expectedSeq
            ? "gap: entries " + expectedSeq + ".." + (e.seq() - 1) + " missing"
            : "sequence goes back: entry " + e.seq() + " after " + (expectedSeq - 1));
      }
      expectedSeq = e.seq() + 1;
      read++;
      head = e.hash();
      if (t.inPeriod(e.time())) {
        inPeriod++;
        if (firstSeq == null) {
          firstSeq = e.seq();
        }
        lastSeq = e.seq();
        lastHash = e.hash();
      }
    }
  }

  /** Running totals over the period's entries of every chain. */
  private static final class Tally {
    final Instant from;
    final Instant to;
    long entries;
    final Map<String, Long> byKind = new TreeMap<>();
    long requests;
    long answered;
    long failedAfterForwarding;
    long matchedResponses;
    final Set<String> answeredIds = new HashSet<>();
    long rejections;
    final Map<Integer, Long> rejectionsByStatus = new TreeMap<>();
    final Map<String, Long> rejectionsByReason = new TreeMap<>();
    final Map<String, Activity> byUser = new TreeMap<>();
    final Map<String, Activity> byKey = new TreeMap<>();
    final Map<String, Activity> byTeam = new TreeMap<>();
    final Map<String, Activity> byModel = new TreeMap<>();
    final Map<String, Attribution> attribution = new HashMap<>();
    final List<Keyed<FailedAuthentication>> failedAuth = new ArrayList<>();
    final List<Keyed<PrivilegedChange>> changes = new ArrayList<>();
    final List<Keyed<Erasure>> erasures = new ArrayList<>();
    final Map<String, Access> access = new TreeMap<>();
    final Map<String, Long> verdicts = new TreeMap<>();
    final Map<String, Long> verdictsByDirection = new TreeMap<>();
    final Map<String, Long> blockedBy = new TreeMap<>();
    final Map<String, Long> entities = new TreeMap<>();
    long policyRejections;

    Tally(Instant from, Instant to) {
      this.from = from;
      this.to = to;
    }

    boolean inPeriod(Instant t) {
      return !t.isBefore(from) && t.isBefore(to);
    }

    void add(LedgerEntry e) {
      if (!e.time().isBefore(to)) {
        return;
      }
      if (!inPeriod(e.time())) {
        if ("login".equals(e.kind())) {
          login(e, false); // access granted before the period still counts in the access review
        }
        return;
      }
      entries++;
      byKind.merge(e.kind(), 1L, Long::sum);
      switch (e.kind()) {
        case "request" -> request(e);
        case "response" -> response(e);
        case "rejection" -> rejection(e);
        case "admin_change" -> adminChange(e);
        case "guardrail_verdict" -> guardrail(e);
        case "login" -> login(e, true);
        case "erasure" -> erasures.add(new Keyed<>(e, new Erasure(e.time(), e.chain(), e.seq(), e.subject(),
            actorName(e.actor()), e.attrs().get("reason"))));
        default -> { }
      }
    }

    /** A response is written by the replica that wrote its request, so request ids are matched per chain. */
    private static String requestKey(LedgerEntry e) {
      return e.chain() + "\u0000" + e.requestId();
    }

    private void request(LedgerEntry e) {
      requests++;
      if (e.requestId() != null) {
        attribution.put(requestKey(e), new Attribution(e.actor(), e.model()));
      }
      activity(e.actor(), e.model(), a -> a.requests++);
    }

    private void response(LedgerEntry e) {
      boolean ok = e.status() != null && e.status() >= 200 && e.status() < 300;
      if (ok) {
        answered++;
      } else {
        failedAfterForwarding++;
      }
      Attribution a = e.requestId() == null ? null : attribution.get(requestKey(e));
      if (a != null) {
        matchedResponses++;
        answeredIds.add(requestKey(e));
      }
      Actor actor = e.actor() != null ? e.actor() : a != null ? a.actor() : null;
      String model = e.model() != null ? e.model() : a != null ? a.model() : null;
      long in = e.tokens() == null ? 0 : e.tokens().input();
      long out = e.tokens() == null ? 0 : e.tokens().output();
      BigDecimal cost = e.costUsd() == null ? BigDecimal.ZERO : e.costUsd();
      activity(actor, model, x -> {
        if (ok) {
          x.answered++;
        } else {
          x.failed++;
        }
        x.inputTokens += in;
        x.outputTokens += out;
        x.cost = x.cost.add(cost);
      });
    }

    private void rejection(LedgerEntry e) {
      rejections++;
      rejectionsByStatus.merge(e.status() == null ? 0 : e.status(), 1L, Long::sum);
      String reason = e.decision() == null ? NONE : e.decision();
      rejectionsByReason.merge(reason, 1L, Long::sum);
      if ("content_policy_violation".equals(reason)) {
        policyRejections++;
      }
      Attribution a = e.requestId() == null ? null : attribution.get(requestKey(e));
      Actor actor = e.actor() != null ? e.actor() : a != null ? a.actor() : null;
      activity(actor, e.model(), x -> x.refused++);
      if (Integer.valueOf(401).equals(e.status())) {
        failedAuth.add(new Keyed<>(e, new FailedAuthentication(e.time(), e.chain(), e.seq(), e.kind(),
            actor == null ? null : actor.user(), actor == null ? null : actor.keyId(), e.source(), reason)));
      }
    }

    private void adminChange(LedgerEntry e) {
      String who = actorName(e.actor());
      changes.add(new Keyed<>(e, new PrivilegedChange(e.time(), e.chain(), e.seq(), who == null ? NONE : who,
          e.decision() == null ? NONE : e.decision(), e.attrs().get("target"), e.attrs().get("details"),
          e.source())));
      if (who != null) {
        Access a = access.computeIfAbsent(who, Access::new);
        a.adminChanges++;
        a.privileged = true; // whoever changed keys or teams held admin rights, whatever their login said
      }
    }

    private void guardrail(LedgerEntry e) {
      String decision = e.decision() == null ? NONE : e.decision();
      verdicts.merge(decision, 1L, Long::sum);
      verdictsByDirection.merge(e.attrs().getOrDefault("direction", NONE) + "/" + decision, 1L, Long::sum);
      if ("block".equals(decision)) {
        blockedBy.merge(e.attrs().getOrDefault("blocked_by", NONE), 1L, Long::sum);
      }
      e.attrs().forEach((k, v) -> {
        if (k.startsWith("entity.")) {
          try {
            entities.merge(k.substring("entity.".length()), Long.parseLong(v.strip()), Long::sum);
          } catch (NumberFormatException ignored) {
            entities.merge(k.substring("entity.".length()), 1L, Long::sum); // seen, count not recorded
          }
        }
      });
    }

    private void login(LedgerEntry e, boolean inPeriod) {
      String user = e.actor() == null ? null : e.actor().user();
      if (user == null) {
        user = e.actor() != null && e.actor().keyId() != null ? "key:" + e.actor().keyId() : NONE;
      }
      String decision = e.decision() == null ? "" : e.decision();
      if (inPeriod && "login_failed".equals(decision)) {
        failedAuth.add(new Keyed<>(e, new FailedAuthentication(e.time(), e.chain(), e.seq(), e.kind(), user,
            e.actor() == null ? null : e.actor().keyId(), e.source(),
            "login_failed" + (e.attrs().containsKey("method") ? " (" + e.attrs().get("method") + ")" : ""))));
      }
      Access a = access.computeIfAbsent(user, Access::new);
      switch (decision) {
        case "login", "admin_token_used" -> {
          if (a.lastLogin == null || !e.time().isBefore(a.lastLogin)) {
            a.lastLogin = e.time();
            a.lastMethod = e.attrs().getOrDefault("method", "admin_token_used".equals(decision) ? "admin-token" : null);
            a.issuer = e.attrs().get("issuer");
            if (e.attrs().containsKey("roles")) {
              a.roles = e.attrs().get("roles");
            }
          }
          if (inPeriod) {
            a.logins++;
          }
          if ("admin_token_used".equals(decision) || isAdminRole(e.attrs().get("roles"))) {
            a.privileged = true;
          }
        }
        case "login_failed" -> {
          if (inPeriod) {
            a.failedLogins++;
          }
        }
        default -> { }
      }
    }

    private void activity(@Nullable Actor actor, @Nullable String model, java.util.function.Consumer<Activity> f) {
      f.accept(byUser.computeIfAbsent(orNone(actor == null ? null : actor.user()), k -> new Activity()));
      f.accept(byKey.computeIfAbsent(orNone(actor == null ? null : actor.keyId()), k -> new Activity()));
      f.accept(byTeam.computeIfAbsent(orNone(actor == null ? null : actor.team()), k -> new Activity()));
      f.accept(byModel.computeIfAbsent(orNone(model), k -> new Activity()));
    }

    Soc2Report finish(List<ChainVerification> chains, Scope scope, ReportSettings settings) {
      List<String> reasons = new ArrayList<>();
      Set<String> seenChains = new LinkedHashSet<>();
      for (ChainVerification c : chains) {
        if (!c.verified().startsWith("OK")) {
          reasons.add("chain " + c.chain() + " (" + c.ledger() + ") failed verification: " + c.verified());
        }
        if (c.readError() != null) {
          reasons.add("chain " + c.chain() + " could not be read completely: " + c.readError());
        }
        for (String gap : c.gaps()) {
          reasons.add("chain " + c.chain() + ": " + gap);
        }
        if (!seenChains.add(c.chain())) {
          reasons.add("chain " + c.chain() + " appears in more than one ledger directory");
        }
      }

      long requestsWithoutResponse = requests - answeredIds.size();
      long responsesForEarlier = answered + failedAfterForwarding - matchedResponses;
      List<Check> checks = new ArrayList<>();
      checks.add(check("entries in period = sum of entries by kind", entries, sum(byKind)));
      long chainSum = 0;
      for (ChainVerification c : chains) {
        chainSum += c.entriesInPeriod();
        long span = c.firstSeq() == null ? 0 : requireNonNull(c.lastSeq()) - c.firstSeq() + 1;
        checks.add(check("chain " + c.chain() + ": entries in period = last seq - first seq + 1 (no gap)",
            span, c.entriesInPeriod()));
      }
      checks.add(check("entries in period = sum over chains", entries, chainSum));
      checks.add(check("rejections = sum of rejections by status", rejections, sum(rejectionsByStatus)));
      checks.add(check("rejections = sum of rejections by reason", rejections, sum(rejectionsByReason)));
      checks.add(check("requests = answered + failed after forwarding + without response - responses to earlier"
              + " requests", requests,
          answered + failedAfterForwarding + requestsWithoutResponse - responsesForEarlier));
      checks.add(check("responses matched to a request = distinct requests answered", matchedResponses,
          answeredIds.size()));
      for (var group : List.of(Map.entry("user", byUser), Map.entry("key", byKey), Map.entry("team", byTeam),
          Map.entry("model", byModel))) {
        checks.add(check("requests = sum of activity by " + group.getKey(), requests,
            group.getValue().values().stream().mapToLong(a -> a.requests).sum()));
        checks.add(check("rejections = sum of refused by " + group.getKey(), rejections,
            group.getValue().values().stream().mapToLong(a -> a.refused).sum()));
      }
      BigDecimal teamCost = byTeam.values().stream().map(a -> a.cost).reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal keyCost = byKey.values().stream().map(a -> a.cost).reduce(BigDecimal.ZERO, BigDecimal::add);
      checks.add(new Check("spend by team = spend by key (USD)", amount(teamCost), amount(keyCost)));
      for (Check c : checks) {
        if (!c.ok()) {
          reasons.add("reconciliation failed: " + c.name() + " (expected " + c.expected() + ", found "
              + c.actual() + ")");
        }
      }

      Reconciliation rec = new Reconciliation(entries, byKind, requests, answered + failedAfterForwarding,
          answered, failedAfterForwarding, requestsWithoutResponse, responsesForEarlier, rejections,
          rejectionsByStatus, rejectionsByReason, checks);
      Map<String, Long> bySource = new TreeMap<>();
      for (Keyed<FailedAuthentication> f : failedAuth) {
        String s = f.value().source() == null ? NONE : f.value().source();
        bySource.merge(s, 1L, Long::sum);
      }
      List<AccessReviewRow> review = access.values().stream()
          .map(a -> new AccessReviewRow(a.user, a.roles, a.lastLogin, a.lastMethod, a.issuer, a.logins,
              a.failedLogins, a.adminChanges, a.privileged || isAdminRole(a.roles)))
          .toList();
      return new Soc2Report(scope, reasons.isEmpty() ? Soc2Report.Status.OK : Soc2Report.Status.FAIL, reasons,
          chains, rec, rows(byUser), rows(byKey), rows(byTeam), rows(byModel), sorted(failedAuth),
          counts(bySource), sorted(changes), review,
          new GuardrailSummary(counts(verdicts), counts(verdictsByDirection), counts(blockedBy), counts(entities),
              policyRejections),
          spend(byTeam), spend(byKey), new Retention(settings.retentionSettings(), settings.erasureSettings(), sorted(erasures)));
    }
  }

  private static boolean isAdminRole(@Nullable String roles) {
    return roles != null && roles.toLowerCase(Locale.ROOT).contains("admin");
  }

  private static @Nullable String actorName(@Nullable Actor a) {
    if (a == null) {
      return null;
    }
    return a.user() != null ? a.user() : a.keyId() != null ? "key:" + a.keyId() : null;
  }

  private static String orNone(@Nullable String s) {
    return s == null || s.isEmpty() ? NONE : s;
  }

  private static Check check(String name, long expected, long actual) {
    return new Check(name, Long.toString(expected), Long.toString(actual));
  }

  static String amount(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  private static long sum(Map<?, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  private static List<ActivityRow> rows(Map<String, Activity> m) {
    return m.entrySet().stream().map(e -> {
      Activity a = e.getValue();
      return new ActivityRow(e.getKey(), a.requests, a.answered, a.failed, a.refused, a.inputTokens, a.outputTokens,
          a.cost);
    }).toList();
  }

  private static List<SpendRow> spend(Map<String, Activity> m) {
    return m.entrySet().stream()
        .filter(e -> e.getValue().answered + e.getValue().failed > 0)
        .map(e -> new SpendRow(e.getKey(), e.getValue().answered + e.getValue().failed, e.getValue().inputTokens,
            e.getValue().outputTokens, e.getValue().cost))
        .sorted(Comparator.comparing(SpendRow::costUsd).reversed().thenComparing(SpendRow::name))
        .toList();
  }

  private static List<CountRow> counts(Map<String, Long> m) {
    return m.entrySet().stream().map(e -> new CountRow(e.getKey(), e.getValue()))
        .sorted(Comparator.comparingLong(CountRow::count).reversed().thenComparing(CountRow::name))
        .toList();
  }

  private static <T> List<T> sorted(List<Keyed<T>> list) {
    return list.stream().sorted(Keyed.ORDER).map(Keyed::value).toList();
  }

  /** An event and where it sits: lists of events are ordered by (time, chain, seq), the same on every run. */
  private record Keyed<T>(Instant time, String chain, long seq, T value) {
    static final Comparator<Keyed<?>> ORDER = Comparator.<Keyed<?>, Instant>comparing(Keyed::time)
        .thenComparing(Keyed::chain).thenComparingLong(Keyed::seq);

    Keyed(LedgerEntry e, T value) {
      this(e.time(), e.chain(), e.seq(), value);
    }
  }

  private record Attribution(@Nullable Actor actor, @Nullable String model) {}

  private static final class Activity {
    long requests;
    long answered;
    long failed;
    long refused;
    long inputTokens;
    long outputTokens;
    BigDecimal cost = BigDecimal.ZERO;
  }

  private static final class Access {
    final String user;
    @Nullable String roles;
    @Nullable Instant lastLogin;
    @Nullable String lastMethod;
    @Nullable String issuer;
    long logins;
    long failedLogins;
    long adminChanges;
    boolean privileged;

    Access(String user) {
      this.user = user;
    }
  }
}
