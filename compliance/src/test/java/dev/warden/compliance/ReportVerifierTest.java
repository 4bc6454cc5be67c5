package dev.warden.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.compliance.render.JsonReportRenderer;
import dev.warden.ledger.checkpoint.SigningKey;
import dev.warden.ledger.json.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportVerifierTest {
  @TempDir static Path tmp;
  static Path ledger;
  static SigningKey ledgerKey;

  @BeforeAll
  static void writeLedger() throws IOException {
    ledger = KnownTraffic.write(tmp.resolve("ledger"), "gw-1");
    ledgerKey = ReportSigningKeys.demoKey(ledger).orElseThrow();
  }

  static Path writeReport(Path out, SigningKey key) throws IOException {
    Soc2Report report = Soc2ReportBuilder.create().ledger(ledger).period(KnownTraffic.FROM, KnownTraffic.TO).build();
    byte[] bytes = new JsonReportRenderer().render(report);
    Files.write(out, bytes);
    ReportManifest.write(out, ReportManifest.create(report, "json", out.getFileName().toString(), bytes, key));
    return out;
  }

  @Test
  @SuppressWarnings("unchecked")
  void theManifestNamesTheReportHashAndLedgerHeadsAndIsSignedWithTheLedgerKey() throws IOException {
    Path report = writeReport(tmp.resolve("a.json"), ledgerKey);
    Path manifest = ReportManifest.pathFor(report);
    assertThat(manifest.getFileName().toString()).isEqualTo("a.json.manifest.json");
    Map<String, Object> m = (Map<String, Object>) JsonParser.parse(Files.readAllBytes(manifest));
    assertThat(m.get("key_id")).isEqualTo(ledgerKey.keyId());
    assertThat(m.get("status")).isEqualTo("OK");
    assertThat(m.get("period")).isEqualTo(Map.of("from", "2026-11-01T00:00:00.000000Z",
        "to", "2026-11-02T00:00:00.000000Z"));
    Map<String, Object> chain = (Map<String, Object>) ((java.util.List<?>) m.get("ledgers")).getFirst();
    assertThat(chain).containsEntry("chain", "gw-1").containsEntry("entries", 21L).containsKey("head");
    assertThat((Map<String, Object>) chain.get("checkpoint")).containsEntry("key_id", ledgerKey.keyId())
        .containsEntry("size", 21L);

    var result = ReportVerifier.verify(report, manifest, ledgerKey.publicKey());
    assertThat(result.ok()).as(result.summary()).isTrue();
    assertThat(result.summary()).startsWith("OK report sha256 ").contains("report status OK");
  }

  @Test
  void oneChangedByteOfTheReportFailsVerification() throws IOException {
    Path report = writeReport(tmp.resolve("b.json"), ledgerKey);
    byte[] bytes = Files.readAllBytes(report);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(report, bytes);
    var result = ReportVerifier.verify(report, ReportManifest.pathFor(report), ledgerKey.publicKey());
    assertThat(result.ok()).isFalse();
    assertThat(result.summary()).startsWith("FAIL report ").contains("it was changed");
  }

  @Test
  void aChangedManifestOrAnotherKeyFailsVerification() throws IOException {
    Path report = writeReport(tmp.resolve("c.json"), ledgerKey);
    Path manifest = ReportManifest.pathFor(report);
    assertThat(ReportVerifier.verify(report, manifest, SigningKey.generate().publicKey()).summary())
        .startsWith("FAIL manifest signature does not verify");
    Files.writeString(manifest, Files.readString(manifest).replace("\"status\":\"OK\"", "\"status\":\"ok\""));
    assertThat(ReportVerifier.verify(report, manifest, ledgerKey.publicKey()).ok()).isFalse();
  }

  @Test
  void signingTwiceGivesTheSameManifest() throws IOException {
    // Ed25519 signatures are deterministic, and the manifest holds no time of its own.
    Path a = writeReport(Files.createDirectories(tmp.resolve("d1")).resolve("r.json"), ledgerKey);
    Path b = writeReport(Files.createDirectories(tmp.resolve("d2")).resolve("r.json"), ledgerKey);
    assertThat(Files.readAllBytes(ReportManifest.pathFor(a))).isEqualTo(Files.readAllBytes(ReportManifest.pathFor(b)));
  }
}
