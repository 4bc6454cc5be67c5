package dev.warden.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.ledger.Appended;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.TestEntries;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
  @TempDir Path dir;

  private record Run(int status, List<String> out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = VerifyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
  }

  private Appended writeLedger(int n) {
    Appended last = null;
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).build())) {
      for (int i = 0; i < n; i++) {
        last = ledger.append(TestEntries.small(i));
      }
    }
    return last;
  }

  @Test
  void intactLedgerExitsZeroWithTheOkLineFirst() {
    Appended last = writeLedger(7);
    Run r = run("verify", "--dir", dir.toString());
    assertThat(r.status).isZero();
    assertThat(r.out.get(0)).isEqualTo("OK 7 entries, head " + last.hash());
    assertThat(r.out).anyMatch(l -> l.startsWith("newest checkpoint: 7 entries, signed "));
  }

  @Test
  void explicitPublicKeyIsTrustedAndTheDirectoryKeysAreNot() throws Exception {
    writeLedger(3);
    Path pub;
    try (var files = Files.list(dir.resolve("keys"))) {
      pub = files.filter(p -> p.toString().endsWith(".pub.pem")).findFirst().orElseThrow();
    }
    assertThat(run("verify", "--dir", dir.toString(), "--public-key", pub.toString()).status).isZero();
  }

  @Test
  void tamperedLedgerExitsOneWithTheFailLine() throws Exception {
    writeLedger(5);
    Path seg = dir.resolve("segment-000001.jsonl");
    List<String> lines = Files.readAllLines(seg);
    Files.write(seg, List.of(lines.get(0), lines.get(1), lines.get(3), lines.get(4)));
    Run r = run("verify", "--dir", dir.toString());
    assertThat(r.status).isEqualTo(1);
    assertThat(r.out.get(0)).isEqualTo("FAIL at entry 2: seq 3 (expected: 2): missing or reordered entry");
  }

  @Test
  void missingDirectoryIsAFailureAndBadUsageIsExitTwo() {
    assertThat(run("verify", "--dir", dir.resolve("nope").toString()).out.get(0))
        .startsWith("FAIL at entry 0: no ledger directory at ");
    assertThat(run("verify", "--bogus").status).isEqualTo(2);
    assertThat(run().status).isEqualTo(2);
    assertThat(run("verify").status).isEqualTo(2);
  }
}
