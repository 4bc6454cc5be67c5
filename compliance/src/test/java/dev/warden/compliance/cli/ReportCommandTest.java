package dev.warden.compliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.compliance.KnownTraffic;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.EntryKind;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReportCommandTest {
  @TempDir static Path tmp;
  static Path ledger;
  static Path publicKey;

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void writeLedger() throws IOException {
    ledger = KnownTraffic.write(tmp.resolve("ledger"), "gw-1");
    try (Stream<Path> s = Files.list(ledger.resolve("keys"))) {
      publicKey = s.filter(p -> p.getFileName().toString().endsWith(".pub.pem")).findFirst().orElseThrow();
    }
  }

  static String publicKeyName(Path ledgerDir) throws IOException {
    try (Stream<Path> s = Files.list(ledgerDir.resolve("keys"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pub.pem")).findFirst().orElseThrow();
    }
  }

  int run(String... args) {
    out.reset();
    err.reset();
    return ReportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  int soc2(Path ledgerDir, String format, Path outFile) {
    return run("soc2", "--ledger", ledgerDir.toString(), "--from", "2026-11-01", "--to", "2026-11-02",
        "--format", format, "--out", outFile.toString(), "--org", "Acme Corp");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pdf", "csv", "json"})
  void writesAReportAndASignedManifestThatVerifyAndAreByteStable(String format) throws IOException {
    Path a = tmp.resolve("a/report." + format);
    Path b = tmp.resolve("b/report." + format);
    assertThat(soc2(ledger, format, a)).as(err()).isZero();
    assertThat(out()).contains("wrote " + a).contains("OK report over 19 entries");
    assertThat(soc2(ledger, format, b)).isZero();
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    assertThat(Files.readAllBytes(Path.of(a + ".manifest.json")))
        .isEqualTo(Files.readAllBytes(Path.of(b + ".manifest.json")));

    assertThat(run("verify", "--report", a.toString(), "--manifest", a + ".manifest.json", "--public-key",
        publicKey.toString())).as(err()).isZero();
    assertThat(out()).startsWith("OK report sha256");

    byte[] bytes = Files.readAllBytes(a);
    bytes[bytes.length - 3] ^= 0x20;
    Files.write(a, bytes);
    assertThat(run("verify", "--report", a.toString(), "--manifest", a + ".manifest.json", "--public-key",
        publicKey.toString())).isEqualTo(1);
    assertThat(err()).startsWith("FAIL report");
  }

  @Test
  void aTamperedLedgerStillGetsItsReportButExitsOne() throws IOException {
    Path copy = Files.createDirectories(tmp.resolve("tampered"));
    try (Stream<Path> s = Files.walk(ledger)) {
      for (Path p : s.toList()) {
        Path t = copy.resolve(ledger.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    Path seg = copy.resolve("segment-000001.jsonl");
    Files.writeString(seg, Files.readString(seg).replace("\"bob\"", "\"eve\""));
    Path report = tmp.resolve("tampered.json");
    assertThat(soc2(copy, "json", report)).isEqualTo(1);
    assertThat(err()).contains("FAIL the report was written").contains("failed verification");
    assertThat(Files.readString(report)).contains("\"status\": \"FAIL\"").contains("LEDGER VERIFICATION");

    // Authentic, but it says its ledger is broken: verify says so and exits 1.
    assertThat(run("verify", "--report", report.toString(), "--manifest", report + ".manifest.json",
        "--public-key", publicKey.toString())).isEqualTo(1);
    assertThat(out()).contains("report status FAIL");
  }

  @Test
  void verifyWithLedgerChecksTheLedgerStillHoldsTheReportedHead() throws IOException {
    Path report = tmp.resolve("held.json");
    assertThat(soc2(ledger, "json", report)).isZero();
    assertThat(run("verify", "--report", report.toString(), "--manifest", report + ".manifest.json",
        "--public-key", publicKey.toString(), "--ledger", ledger.toString())).as(err()).isZero();
    assertThat(out()).contains("OK chain gw-1 verified (OK 21 entries").contains("holds the reported head");

    Path grown = KnownTraffic.write(tmp.resolve("grown"), "gw-1");
    Path grownReport = tmp.resolve("grown.json");
    assertThat(soc2(grown, "json", grownReport)).isZero();
    try (Ledger l = Ledger.open(LedgerOptions.builder().dir(grown).chainId("gw-1").build())) {
      l.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestId("later").build());
    }
    assertThat(run("verify", "--report", grownReport.toString(), "--manifest", grownReport + ".manifest.json",
        "--public-key", grown.resolve("keys").resolve(publicKeyName(grown)).toString(), "--ledger",
        grown.toString())).as(err()).isZero();
    assertThat(out()).contains("OK chain gw-1 verified (OK 22 entries").contains("at entry 20");

    Path other = KnownTraffic.write(tmp.resolve("other-ledger"), "gw-1"); // same chain id, another history
    assertThat(run("verify", "--report", report.toString(), "--manifest", report + ".manifest.json",
        "--public-key", publicKey.toString(), "--ledger", other.toString())).isEqualTo(1);
    assertThat(err()).startsWith("FAIL ledger " + other);
  }

  @Test
  void operatorSuppliedPublicKeysReplaceTheLedgersOwnAndTheReportSaysSo() throws IOException {
    Path report = tmp.resolve("trusted.json");
    assertThat(run("soc2", "--ledger", ledger.toString(), "--from", "2026-11-01", "--to", "2026-11-02", "--out",
        report.toString(), "--public-key", publicKey.toString(), "--generated-at", "2026-12-01T09:00:00Z"))
        .as(err()).isZero();
    assertThat(Files.readString(report))
        .contains("checkpoint signatures checked with the public keys given by the operator: ed25519-")
        .contains("\"generated_at\": \"2026-12-01T09:00:00.000000Z\"");

    Path stranger = KnownTraffic.write(tmp.resolve("stranger"), "gw-9"); // signed by another demo key
    assertThat(run("soc2", "--ledger", stranger.toString(), "--from", "2026-11-01", "--to", "2026-11-02", "--out",
        tmp.resolve("stranger.json").toString(), "--public-key", publicKey.toString())).isEqualTo(1);
    assertThat(err()).contains("failed verification").contains("unknown key");
  }

  @Test
  void usageErrorsNameTheOption() {
    assertThat(run("soc2", "--ledger", ledger.toString(), "--to", "2026-11-02", "--out", "x.pdf")).isEqualTo(2);
    assertThat(err()).contains("error: --from is required");
    assertThat(run("soc2", "--ledger", ledger.toString(), "--from", "11/01/2026", "--to", "2026-11-02", "--out",
        "x.pdf")).isEqualTo(2);
    assertThat(err()).contains("--from \"11/01/2026\" (expected: YYYY-MM-DD");
    assertThat(run("soc2", "--ledger", ledger.toString(), "--from", "2026-11-01", "--to", "2026-11-02", "--format",
        "docx", "--out", "x.docx")).isEqualTo(2);
    assertThat(err()).contains("--format format \"docx\" (expected: pdf, csv or json)");
    assertThat(run("soc2", "--ledger", tmp.resolve("nope").toString(), "--from", "2026-11-01", "--to",
        "2026-11-02", "--out", "x.pdf")).isEqualTo(2);
    assertThat(err()).contains("--ledger " + tmp.resolve("nope") + " is not a directory");
    assertThat(run("soc2", "--bogus", "1")).isEqualTo(2);
    assertThat(err()).contains("unknown option --bogus");
    assertThat(run("verify", "--report", "r.pdf")).isEqualTo(2);
    assertThat(err()).contains("--manifest is required");
    assertThat(run("audit")).isEqualTo(2);
    assertThat(err()).contains("unknown command \"audit\"");
  }

  @Test
  void anExplicitSigningKeyFileAndKeyIdAreUsed() throws IOException {
    Path keyFile = ledger.resolve("keys/checkpoint-signing.pem");
    Path bare = tmp.resolve("bare.pem");
    String text = Files.readString(keyFile);
    Files.writeString(bare, text.substring(text.indexOf("-----BEGIN")));
    Path report = tmp.resolve("explicit.csv");
    assertThat(run("soc2", "--ledger", ledger.toString(), "--from", "2026-11-01", "--to", "2026-11-02", "--out",
        report.toString(), "--signing-key", bare.toString(), "--key-id", "ops-2026-11")).as(err()).isZero();
    assertThat(out()).contains("signed by ops-2026-11");
    assertThat(Files.readString(Path.of(report + ".manifest.json"))).contains("\"key_id\":\"ops-2026-11\"");
    assertThat(run("verify", "--report", report.toString(), "--manifest", report + ".manifest.json",
        "--public-key", publicKey.toString())).as(err()).isZero();
  }
}
