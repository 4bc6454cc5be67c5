package dev.warden.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.ledger.checkpoint.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening memory does not grow with the ledger either: a ledger with a signed checkpoint per entry, and no saved
 * state (so the whole chain is read), opens in a child JVM whose heap is below what holding its checkpoints takes.
 * The open that read {@code checkpoints.jsonl} whole and kept every checkpoint's head by size fails this test with
 * OutOfMemoryError.
 */
class OpenMemoryTest {
  private static final int ENTRIES = 12_000;
  private static final String HEAP = "-Xmx8m";

  @TempDir Path dir;

  /** The child: opens the ledger in args[0] and prints what it found. */
  public static void main(String[] args) {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(Path.of(args[0])).chainId("gw-1").journal(false)
        .build())) {
      System.out.println("opened " + ledger.head().size() + " read " + ledger.entriesReadOnOpen());
    }
  }

  @Test
  void aLedgerWithTwelveThousandCheckpointsOpensInAnEightMiBHeap() throws Exception {
    SigningKey key = SigningKey.generate();
    TestCheckpoints.smallEntries(dir, "gw-1", key, ENTRIES);
    assertThat(TestCheckpoints.onePerEntry(dir, "gw-1", key)).isEqualTo(ENTRIES);
    Files.delete(dir.resolve("resume.json"));
    assertThat(Files.size(dir.resolve("checkpoints.jsonl"))).isGreaterThan(3L << 20);

    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        HEAP, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), OpenMemoryTest.class.getName(),
        dir.toString())
        .redirectErrorStream(true)
        .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished: " + out).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    assertThat(out).contains("opened " + ENTRIES + " read " + ENTRIES);
  }
}
