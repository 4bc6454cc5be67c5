package dev.warden.compliance.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.compliance.KnownTraffic;
import dev.warden.compliance.ReportSettings;
import dev.warden.compliance.Soc2Report;
import dev.warden.compliance.Soc2ReportBuilder;
import dev.warden.ledger.json.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReportRenderersTest {
  @TempDir static Path tmp;
  static Path ledger;

  @BeforeAll
  static void writeLedger() throws IOException {
    ledger = KnownTraffic.write(tmp.resolve("ledger"), "gw-1");
  }

  static Soc2Report build() {
    return Soc2ReportBuilder.create().ledger(ledger).period(KnownTraffic.FROM, KnownTraffic.TO)
        .settings(new ReportSettings("Acme Corp", "bodies 30 days", "crypto-shredding")).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "csv", "pdf"})
  void theSameInputsGiveByteIdenticalOutput(String format) {
    byte[] first = ReportRenderer.forFormat(format).render(build());
    byte[] second = ReportRenderer.forFormat(format).render(build());
    assertThat(first).isNotEmpty().isEqualTo(second);
  }

  @Test
  void theGenerationTimeAppearsOnlyWhenGiven() {
    String without = new String(new JsonReportRenderer().render(build()), StandardCharsets.UTF_8);
    assertThat(without).contains("\"generated_at\": null");
    Soc2Report stamped = Soc2ReportBuilder.create().ledger(ledger).period(KnownTraffic.FROM, KnownTraffic.TO)
        .generatedAt(Instant.parse("2026-11-03T12:00:00Z")).build();
    assertThat(new String(new JsonReportRenderer().render(stamped), StandardCharsets.UTF_8))
        .contains("\"generated_at\": \"2026-11-03T12:00:00.000000Z\"");
  }

  @Test
  @SuppressWarnings("unchecked")
  void jsonHasEverySectionInOrderWithTypedFields() {
    byte[] json = new JsonReportRenderer().render(build());
    Map<String, Object> m = (Map<String, Object>) JsonParser.parse(json);
    // The parser keeps the file's order only as a set of keys; the order is checked on the text.
    List<String> sections = List.of("schema", "status", "warning", "status_reasons", "scope",
        "ledger_verification", "reconciliation", "activity_by_user", "activity_by_key", "activity_by_team",
        "activity_by_model", "failed_authentications", "failed_authentications_by_source", "privileged_changes",
        "access_review", "guardrails", "spend_by_team", "spend_by_key", "retention");
    assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(sections);
    String text = new String(json, StandardCharsets.UTF_8);
    List<Integer> positions = sections.stream().map(s -> text.indexOf("\n  \"" + s + "\":")).toList();
    assertThat(positions).doesNotContain(-1).isSorted();

    assertThat(m.get("schema")).isEqualTo(Soc2Report.SCHEMA);
    assertThat(m.get("status")).isEqualTo("OK");
    assertThat(m.get("warning")).isNull();
    Map<String, Object> scope = (Map<String, Object>) m.get("scope");
    assertThat(scope).containsEntry("from", "2026-11-01T00:00:00.000000Z")
        .containsEntry("to", "2026-11-02T00:00:00.000000Z").containsEntry("to_is_exclusive", true);
    Map<String, Object> chain = ((List<Map<String, Object>>) m.get("ledger_verification")).getFirst();
    assertThat(chain.keySet()).contains("chain", "status", "verifier", "gaps", "entries_in_period",
        "first_seq_in_period", "last_seq_in_period", "covering_checkpoint", "checkpoint_key_ids");
    assertThat(chain.get("entries_in_period")).isEqualTo(19L);
    assertThat(((Map<String, Object>) chain.get("covering_checkpoint")).get("key_id")).asString()
        .startsWith("ed25519-");
    for (Map<String, Object> row : (List<Map<String, Object>>) m.get("activity_by_user")) {
      assertThat(row.keySet()).containsExactlyInAnyOrder("name", "requests", "answered", "failed", "refused",
          "input_tokens", "output_tokens", "cost_usd");
      assertThat(row.get("requests")).isInstanceOf(Long.class);
      assertThat(new BigDecimal((String) row.get("cost_usd"))).isNotNegative();
    }
    Map<String, Object> rec = (Map<String, Object>) m.get("reconciliation");
    assertThat((List<Map<String, Object>>) rec.get("checks")).allSatisfy(c -> assertThat(c.get("ok")).isEqualTo(true));
    assertThat(rec.get("rejections_by_status")).isEqualTo(Map.of("401", 1L, "403", 1L, "429", 1L));
  }

  @Test
  void csvHasOneFixedSchemaAndRebuildsTheTables() {
    String csv = new String(new CsvReportRenderer().render(build()), StandardCharsets.UTF_8);
    assertThat(csv).startsWith("section,record,field,value\r\n").endsWith("\r\n");
    List<List<String>> rows = parseCsv(csv);
    assertThat(rows.getFirst()).isEqualTo(CsvReportRenderer.HEADER);
    assertThat(rows).allSatisfy(r -> assertThat(r).hasSize(4));
    Set<String> sections = new LinkedHashSet<>();
    rows.subList(1, rows.size()).forEach(r -> sections.add(r.getFirst()));
    assertThat(sections).containsExactly("schema", "status", "warning", "status_reasons", "scope",
        "ledger_verification", "reconciliation", "activity_by_user", "activity_by_key", "activity_by_team",
        "activity_by_model", "failed_authentications", "failed_authentications_by_source", "privileged_changes",
        "access_review", "guardrails", "spend_by_team", "spend_by_key", "retention");
    assertThat(rows).contains(List.of("status", "", "", "OK"),
        List.of("reconciliation", "", "entries", "19"),
        List.of("reconciliation", "", "rejections_by_status.401", "1"),
        List.of("activity_by_user", "2", "name", "alice"),
        List.of("activity_by_user", "2", "requests", "2"),
        List.of("activity_by_user", "2", "cost_usd", "0.0015"),
        List.of("privileged_changes", "2", "details", "revoked, \"leaked\""),
        List.of("ledger_verification", "1", "entries_in_period", "19"));
    // Numeric fields are integers wherever the JSON has integers.
    rows.stream().filter(r -> r.get(2).equals("requests") || r.get(2).endsWith("_tokens"))
        .forEach(r -> assertThat(Long.parseLong(r.get(3))).isNotNegative());
  }

  @Test
  void csvValuesThatASpreadsheetWouldRunAsFormulasAreDefused() {
    assertThat(CsvReportRenderer.defuse("=HYPERLINK(\"http://x\")")).isEqualTo("'=HYPERLINK(\"http://x\")");
    assertThat(CsvReportRenderer.defuse("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(CsvReportRenderer.defuse("alice")).isEqualTo("alice");
    assertThat(CsvReportRenderer.defuse("")).isEmpty();
  }

  /** RFC 4180 with CRLF rows, quotes doubled inside quoted fields. */
  static List<List<String>> parseCsv(String csv) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          f.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          f.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(f.toString());
        f.setLength(0);
      } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
        row.add(f.toString());
        f.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        f.append(c);
      }
    }
    return rows;
  }
}
