package dev.warden.compliance.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.compliance.KnownTraffic;
import dev.warden.compliance.ReportSettings;
import dev.warden.compliance.Soc2Report;
import dev.warden.compliance.Soc2ReportBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PDF is read back with PDFBox, an independent parser, and its text compared. */
class PdfReportRendererTest {
  @TempDir static Path tmp;
  static Path ledger;

  @BeforeAll
  static void writeLedger() throws IOException {
    ledger = KnownTraffic.write(tmp.resolve("ledger"), "gw-1");
  }

  static Soc2Report build(Path dir) {
    return Soc2ReportBuilder.create().ledger(dir).period(KnownTraffic.FROM, KnownTraffic.TO)
        .settings(new ReportSettings("Acme Corp", "encrypted bodies 30 days", "crypto-shredding – per subject"))
        .build();
  }

  static String text(byte[] pdf) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertThat(doc.getDocumentInformation().getTitle()).isEqualTo("SOC 2 period report: Acme Corp");
      assertThat(doc.getDocumentInformation().getCreationDate()).isNull(); // no "now" inside
      return new PDFTextStripper().getText(doc);
    }
  }

  @Test
  void everySectionIsThereWithItsCriteriaAndFigures() throws IOException {
    byte[] pdf = new PdfReportRenderer().render(build(ledger));
    assertThat(new String(pdf, 0, 8, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-1.4");
    String text = text(pdf);
    assertThat(text)
        .contains("SOC 2 period report: Acme Corp")
        .contains("STATUS: OK. Every chain verified")
        .contains("Period 2026-11-01T00:00:00.000000Z (inclusive) to 2026-11-02T00:00:00.000000Z (exclusive)")
        .contains("1. Scope and period", "2. Ledger verification", "3. Reconciliation",
            "4. Access activity (CC6.1, CC7.2)", "5. Failed authentications", "6. Privileged changes (CC6.2, CC8.1)",
            "7. Access review (CC6.1, CC6.2, CC6.3)", "8. Guardrail events", "9. Spend per team and per key",
            "10. Retention and erasure")
        .contains("Chain gw-1: OK")
        .contains("Gaps:                none")
        .contains("First/last seq:      1 .. 19")
        .contains("crypto-shredding – per subject")
        .contains("End of report.")
        .containsPattern("alice\\s+key\\.create\\s+vk_3")
        .containsPattern("203\\.0\\.113\\.9\\s+login_failed \\(oidc\\)")
        .containsPattern("alice\\s+2\\s+1\\s+1\\s+1\\s+100\\s+50\\s+0\\.0015")
        .containsPattern("EMAIL\\s+3")
        .containsPattern("page 1 of \\d+");
    assertThat(text).doesNotContain("FAIL");
  }

  @Test
  void aBrokenLedgerIsAnnouncedOnTopAndOnEveryPage() throws IOException {
    Path copy = Files.createDirectories(tmp.resolve("broken"));
    for (Path p : Files.list(ledger).toList()) {
      if (Files.isRegularFile(p)) {
        Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    Files.createDirectories(copy.resolve("keys"));
    for (Path p : Files.list(ledger.resolve("keys")).filter(Files::isRegularFile).toList()) {
      Files.copy(p, copy.resolve("keys").resolve(p.getFileName()));
    }
    Path seg = Files.list(copy).filter(p -> p.getFileName().toString().startsWith("segment-")).findFirst()
        .orElseThrow();
    Files.writeString(seg, Files.readString(seg).replace("\"0.0015\"", "\"0.0001\""));

    byte[] pdf = new PdfReportRenderer().render(build(copy));
    String text = text(pdf);
    String firstLines = text.substring(0, 400);
    assertThat(firstLines).contains("STATUS: FAIL").contains("LEDGER VERIFICATION OR RECONCILIATION FAILED");
    assertThat(text).doesNotContain("STATUS: OK").contains("Chain gw-1: FAIL");
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      int pages = doc.getNumberOfPages();
      assertThat(text.split("STATUS FAIL, page ", -1)).hasSize(pages + 1);
    }
  }

  @Test
  void longReportsArePaginated() throws IOException {
    byte[] pdf = new PdfReportRenderer().render(build(ledger));
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertThat(doc.getNumberOfPages()).isGreaterThan(1);
      String text = text(pdf);
      assertThat(text).contains("page " + doc.getNumberOfPages() + " of " + doc.getNumberOfPages());
    }
  }
}
