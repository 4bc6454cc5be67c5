package dev.warden.compliance.render;

import static dev.warden.compliance.render.ReportTree.amount;
import static dev.warden.compliance.render.ReportTree.time;

import dev.warden.compliance.Soc2Report;
import dev.warden.compliance.Soc2Report.ActivityRow;
import dev.warden.compliance.Soc2Report.ChainVerification;
import dev.warden.compliance.Soc2Report.Check;
import dev.warden.compliance.Soc2Report.CheckpointRef;
import dev.warden.compliance.Soc2Report.CountRow;
import dev.warden.compliance.Soc2Report.SpendRow;
import dev.warden.compliance.render.PdfWriter.Font;
import dev.warden.compliance.render.PdfWriter.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The report as a readable, paginated, text-only A4 PDF: a status banner first (a failed verification is printed
 * on top of page 1 and in every page footer), then one section per SOC 2 topic with fixed-width tables in Courier.
 * Long lines wrap. Deterministic: no dates, fixed metadata, content-derived document id.
 */
public final class PdfReportRenderer implements ReportRenderer {
  private static final float MARGIN = 42f;
  private static final float TOP = PdfWriter.PAGE_HEIGHT - 50f;
  private static final float BOTTOM = 56f;
  private static final int MONO_CHARS = 106; // Courier 8 pt: 4.8 pt a character over the text width
  private static final int BOLD_CHARS = 78;

  @Override
  public String format() {
    return "pdf";
  }

  @Override
  public byte[] render(Soc2Report r) {
    Layout l = new Layout();
    l.title("SOC 2 period report: " + r.scope().organisation());
    l.mono("Period " + time(r.scope().from()) + " (inclusive) to " + time(r.scope().to()) + " (exclusive), UTC");
    l.space();
    if (r.ok()) {
      l.bold("STATUS: OK. Every chain verified and was read completely; every reconciliation check balances.");
    } else {
      l.bold("STATUS: FAIL. " + ReportTree.FAIL_WARNING);
      for (String reason : r.statusReasons()) {
        l.mono("  * " + reason);
      }
    }

    l.heading("1. Scope and period");
    kv(l, "Organisation", r.scope().organisation());
    kv(l, "From (inclusive)", time(r.scope().from()));
    kv(l, "To (exclusive)", time(r.scope().to()));
    kv(l, "Generated at", r.scope().generatedAt() == null ? "not stated" : time(r.scope().generatedAt()));
    for (String dir : r.scope().ledgers()) {
      kv(l, "Ledger", dir);
    }
    kv(l, "Query", r.scope().query());
    kv(l, "Signature keys", r.scope().keySource());

    l.heading("2. Ledger verification (completeness and accuracy of the evidence)");
    for (ChainVerification c : r.chains()) {
      l.bold("Chain " + c.chain() + ": " + (c.ok() ? "OK" : "FAIL"));
      kv(l, "Ledger", c.ledger());
      kv(l, "Verifier", c.verified());
      if (c.readError() != null) {
        kv(l, "READ ERROR", c.readError());
      }
      kv(l, "Gaps", c.gaps().isEmpty() ? "none" : String.join("; ", c.gaps()));
      kv(l, "Entries in chain", Long.toString(c.entriesInChain()));
      kv(l, "Head", c.head() == null ? "-" : c.head());
      kv(l, "Entries in period", Long.toString(c.entriesInPeriod()));
      kv(l, "First/last seq", c.firstSeq() == null ? "none in period" : c.firstSeq() + " .. " + c.lastSeq());
      kv(l, "Last hash", c.lastHashInPeriod() == null ? "-" : c.lastHashInPeriod());
      CheckpointRef cov = c.coveringCheckpoint();
      kv(l, "Covering checkpoint", cov == null ? "none" : "size " + cov.size() + ", key " + cov.keyId() + ", signed "
          + time(cov.time()));
      if (cov != null) {
        kv(l, "  head", cov.head());
        kv(l, "  root", cov.root());
      }
      kv(l, "Checkpoint key ids", c.checkpointKeyIds().isEmpty() ? "none" : String.join(", ", c.checkpointKeyIds()));
      CheckpointRef newest = c.newestCheckpoint();
      kv(l, "Newest checkpoint", newest == null ? "none" : "size " + newest.size() + ", key " + newest.keyId()
          + ", signed " + time(newest.time()));
      l.mono("Checkpoints signed in the period: " + c.checkpointsInPeriod().size());
      for (CheckpointRef cp : c.checkpointsInPeriod()) {
        l.mono("  size " + cp.size() + ", signed " + time(cp.time()) + ", key " + cp.keyId());
        l.mono("    head " + cp.head());
      }
      for (String note : c.notes()) {
        l.mono("Note: " + (note.startsWith("note: ") ? note.substring(6) : note));
      }
      l.space();
    }

    l.heading("3. Reconciliation");
    var rec = r.reconciliation();
    kv(l, "Entries in period", Long.toString(rec.entries()));
    table(l, List.of("kind", "entries"), new TreeMap<>(rec.entriesByKind()).entrySet().stream()
        .map(e -> List.of(e.getKey(), Long.toString(e.getValue()))).toList());
    kv(l, "Requests forwarded", Long.toString(rec.requests()));
    kv(l, "Responses", rec.responses() + " (answered " + rec.answered() + ", failed after forwarding "
        + rec.failedAfterForwarding() + ")");
    kv(l, "Without response", Long.toString(rec.requestsWithoutResponse()));
    kv(l, "For earlier requests", Long.toString(rec.responsesForEarlierRequests()));
    kv(l, "Rejections", Long.toString(rec.rejections()));
    table(l, List.of("status", "rejections"), new TreeMap<>(rec.rejectionsByStatus()).entrySet().stream()
        .map(e -> List.of(Integer.toString(e.getKey()), Long.toString(e.getValue()))).toList());
    table(l, List.of("reason", "rejections"), new TreeMap<>(rec.rejectionsByReason()).entrySet().stream()
        .map(e -> List.of(e.getKey(), Long.toString(e.getValue()))).toList());
    List<List<String>> checks = new ArrayList<>();
    for (Check c : rec.checks()) {
      checks.add(List.of(c.ok() ? "OK" : "FAIL", c.expected(), c.actual(), c.name()));
    }
    table(l, List.of("result", "expected", "actual", "check"), checks);

    l.heading("4. Access activity (CC6.1, CC7.2)");
    activity(l, "user", r.activityByUser());
    activity(l, "key", r.activityByKey());
    activity(l, "team", r.activityByTeam());
    activity(l, "model", r.activityByModel());

    l.heading("5. Failed authentications (CC6.1, CC7.2)");
    table(l, List.of("time", "chain", "seq", "user/key", "source", "reason"), r.failedAuthentications().stream()
        .map(f -> List.of(shortTime(f.time()), f.chain(), Long.toString(f.seq()),
            f.user() != null ? f.user() : f.keyId() != null ? f.keyId() : "-", dash(f.source()), f.reason()))
        .toList());
    l.mono("By source address:");
    counts(l, "source", r.failedAuthenticationsBySource());

    l.heading("6. Privileged changes (CC6.2, CC8.1)");
    table(l, List.of("time", "chain", "seq", "who", "action", "target", "details"), r.privilegedChanges().stream()
        .map(c -> List.of(shortTime(c.time()), c.chain(), Long.toString(c.seq()), c.actor(), c.action(), dash(c.target()),
            dash(c.details())))
        .toList());

    l.heading("7. Access review (CC6.1, CC6.2, CC6.3)");
    l.mono("logins, failed and chg(anges) count the period; priv = admin role, admin token or admin changes.");
    table(l, List.of("user", "roles", "last login", "method", "logins", "failed", "chg", "priv"),
        r.accessReview().stream().map(a -> List.of(a.user(), dash(a.roles()),
            a.lastLogin() == null ? "-" : shortTime(a.lastLogin()),
            dash(a.lastMethod()), Long.toString(a.loginsInPeriod()), Long.toString(a.failedLoginsInPeriod()),
            Long.toString(a.adminChangesInPeriod()), a.privileged() ? "YES" : "no")).toList());

    l.heading("8. Guardrail events (CC7.2, P4)");
    l.mono("By decision:");
    counts(l, "decision", r.guardrails().byDecision());
    l.mono("By direction and decision:");
    counts(l, "direction/decision", r.guardrails().byDirectionAndDecision());
    l.mono("Blocked by:");
    counts(l, "guardrail", r.guardrails().blockedBy());
    l.mono("Entities found:");
    counts(l, "entity", r.guardrails().entities());
    kv(l, "Policy rejections", Long.toString(r.guardrails().policyRejections()));

    l.heading("9. Spend per team and per key");
    spend(l, "team", r.spendByTeam());
    spend(l, "key", r.spendByKey());

    l.heading("10. Retention and erasure (C1.2, P4.3)");
    kv(l, "Retention", r.retention().retentionSettings());
    kv(l, "Erasure", r.retention().erasureSettings());
    table(l, List.of("time", "chain", "seq", "subject ref", "by", "reason"), r.retention().erasures().stream()
        .map(e -> List.of(shortTime(e.time()), e.chain(), Long.toString(e.seq()), dash(e.subjectRef()), dash(e.actor()),
            dash(e.reason())))
        .toList());
    l.space();
    l.mono("End of report.");

    String footer = "Warden SOC 2 report, " + r.scope().organisation() + ", " + day(r.scope().from()) + " to "
        + day(r.scope().to()) + (r.ok() ? "" : ", STATUS FAIL");
    PdfWriter w = new PdfWriter("SOC 2 period report: " + r.scope().organisation(), "Warden compliance");
    int n = l.pages.size();
    for (int i = 0; i < n; i++) {
      List<Text> page = new ArrayList<>(l.pages.get(i));
      page.add(new Text(Font.REGULAR, 8, MARGIN, 30, footer + ", page " + (i + 1) + " of " + n));
      w.addPage(page);
    }
    return w.toBytes();
  }

  private static String day(Instant t) {
    return Objects.requireNonNull(time(t)).substring(0, 10);
  }

  /** Second precision for tables (the JSON and CSV keep microseconds); order within a second is by seq. */
  private static String shortTime(Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  private static String dash(@Nullable String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  private static void kv(Layout l, String key, @Nullable String value) {
    l.mono(String.format("%-20s %s", key + ":", value == null ? "-" : value));
  }

  private static void activity(Layout l, String by, List<ActivityRow> rows) {
    l.mono("By " + by + ":");
    table(l, List.of(by, "requests", "answered", "failed", "refused", "tokens in", "tokens out", "cost USD"),
        rows.stream().map(a -> List.of(a.name(), Long.toString(a.requests()), Long.toString(a.answered()),
            Long.toString(a.failed()), Long.toString(a.refused()), Long.toString(a.inputTokens()),
            Long.toString(a.outputTokens()), amount(a.costUsd()))).toList());
  }

  private static void spend(Layout l, String by, List<SpendRow> rows) {
    l.mono("By " + by + ":");
    table(l, List.of(by, "responses", "tokens in", "tokens out", "cost USD"), rows.stream()
        .map(s -> List.of(s.name(), Long.toString(s.responses()), Long.toString(s.inputTokens()),
            Long.toString(s.outputTokens()), amount(s.costUsd()))).toList());
  }

  private static void counts(Layout l, String what, List<CountRow> rows) {
    table(l, List.of(what, "count"), rows.stream().map(c -> List.of(c.name(), Long.toString(c.count()))).toList());
  }

  /** Fixed-width columns sized to their content; a row too wide for the page wraps onto indented lines. */
  private static void table(Layout l, List<String> header, List<List<String>> rows) {
    if (rows.isEmpty()) {
      l.mono("  (none)");
      return;
    }
    int[] w = new int[header.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = header.get(i).length();
      for (List<String> row : rows) {
        w[i] = Math.max(w[i], row.get(i).length());
      }
    }
    l.mono(line(header, w));
    StringBuilder rule = new StringBuilder("  ");
    for (int i = 0; i < w.length; i++) {
      rule.append("-".repeat(w[i])).append(i + 1 < w.length ? "  " : "");
    }
    l.mono(rule.length() > MONO_CHARS ? rule.substring(0, MONO_CHARS) : rule.toString());
    for (List<String> row : rows) {
      l.mono(line(row, w));
    }
  }

  private static String line(List<String> cells, int[] w) {
    StringBuilder sb = new StringBuilder("  ");
    for (int i = 0; i < cells.size(); i++) {
      sb.append(i + 1 < cells.size() ? String.format("%-" + w[i] + "s  ", cells.get(i)) : cells.get(i));
    }
    return sb.toString().stripTrailing();
  }

  /** Places lines top to bottom and starts a new page when the next one would not fit. */
  private static final class Layout {
    final List<List<Text>> pages = new ArrayList<>();
    List<Text> page = new ArrayList<>();
    float y = TOP;

    Layout() {
      pages.add(page);
    }

    void title(String s) {
      put(Font.BOLD, 16, s, 22);
    }

    void heading(String s) {
      y -= 8;
      ensure(40); // keep a heading with at least its first lines
      put(Font.BOLD, 11, s, 16);
    }

    void bold(String s) {
      for (String part : wrap(s, BOLD_CHARS)) {
        put(Font.BOLD, 9.5f, part, 13);
      }
    }

    void mono(String s) {
      for (String part : wrap(s, MONO_CHARS)) {
        put(Font.MONO, 8, part, 10);
      }
    }

    void space() {
      y -= 6;
    }

    private void ensure(float height) {
      if (y - height < BOTTOM) {
        page = new ArrayList<>();
        pages.add(page);
        y = TOP;
      }
    }

    private void put(Font font, float size, String text, float leading) {
      ensure(leading);
      y -= leading;
      page.add(new Text(font, size, MARGIN, y, text));
    }

    private static List<String> wrap(String s, int width) {
      List<String> out = new ArrayList<>();
      String rest = s;
      String indent = "";
      while (indent.length() + rest.length() > width) {
        int room = width - indent.length();
        int cut = rest.lastIndexOf(' ', room);
        if (cut <= room / 2) {
          cut = room; // no good break (a hash, a path): cut hard
        }
        out.add(indent + rest.substring(0, cut).stripTrailing());
        rest = rest.substring(cut).stripLeading();
        indent = "    ";
      }
      out.add(indent + rest);
      return out;
    }
  }
}
