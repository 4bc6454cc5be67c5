package dev.warden.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.ledger.TestCheckpoints;
import dev.warden.ledger.checkpoint.SigningKey;
import dev.warden.ledger.store.SegmentFileStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verification memory does not grow with the ledger. A gateway under traffic signs a checkpoint every second, some
 * 30 million a year; a verifier that held them would need tens of GB. Here a ledger with one signed checkpoint per
 * entry verifies in a child JVM whose heap is well below what holding its checkpoints takes (about 1.3 KB each: the
 * line, and the parsed checkpoint by size); the verifier that held them fails this test with OutOfMemoryError.
 */
class VerifierMemoryTest {
  private static final int ENTRIES = 12_000;
  /**
   * Holding 12,001 checkpoints takes some 16 MiB on top of the JVM's own; the streaming verifier passes with 8.
   * (Signing and checking Ed25519 costs about half a millisecond a checkpoint here, which bounds the count.)
   */
  private static final String HEAP = "-Xmx10m";

  @TempDir Path dir;

  @Test
  void twelveThousandCheckpointsVerifyInATenMiBHeap() throws Exception {
    SigningKey key = SigningKey.generate();
    TestCheckpoints.smallEntries(dir, "gw-1", key, ENTRIES);
    assertThat(TestCheckpoints.onePerEntry(dir, "gw-1", key)).isEqualTo(ENTRIES);
    long checkpointBytes = Files.size(dir.resolve(SegmentFileStore.CHECKPOINTS));
    assertThat(checkpointBytes).as("checkpoints.jsonl").isGreaterThan(3L << 20);

    Path publicKey = dir.resolve("keys/" + key.keyId() + ".pub.pem");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        HEAP, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), VerifyCommand.class.getName(),
        "verify", "--dir", dir.toString(), "--public-key", publicKey.toString())
        .redirectErrorStream(true)
        .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("verifier finished: " + out).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    assertThat(out).startsWith("OK " + ENTRIES + " entries, head ");
    assertThat(out).contains("newest checkpoint: " + ENTRIES + " entries");
  }
}
