package dev.warden.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.TestEntries;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.checkpoint.PublicKeyRing;
import dev.warden.ledger.checkpoint.SigningKey;
import dev.warden.ledger.store.SegmentFileStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interleaved-stream rules used for Kafka, without a broker: a writer that crashed after sending entries it
 * never acknowledged rolls them back with a signed checkpoint at restart; rolling back what was signed fails.
 */
class ReplicaStreamVerificationTest {
  @TempDir Path dir;
  private final SigningKey key = SigningKey.generate();
  private final List<byte[]> entries = new ArrayList<>();
  private final List<byte[]> checkpoints = new ArrayList<>();

  @BeforeEach
  void writeLedger() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).chainId("gw-1").signingKey(key)
        .checkpointEvery(1_000).build())) {
      for (int i = 0; i < 6; i++) {
        ledger.append(TestEntries.small(i));
      }
    }
    SegmentFileStore.readEntries(dir, (b, off, len) -> entries.add(Arrays.copyOfRange(b, off, off + len)));
    for (String l : Files.readAllLines(dir.resolve(SegmentFileStore.CHECKPOINTS))) {
      checkpoints.add(l.getBytes(StandardCharsets.UTF_8));
    }
  }

  private VerificationResult verify(List<ChainRecord> records) {
    return LedgerVerifier.verifyRecords("gw-1", records,
        VerifyOptions.withKeys(PublicKeyRing.empty().add(key.keyId(), key.publicKey())));
  }

  private static ChainRecord e(byte[] line) {
    return new ChainRecord(ChainRecord.Type.ENTRY, line);
  }

  private static ChainRecord c(byte[] line) {
    return new ChainRecord(ChainRecord.Type.CHECKPOINT, line);
  }

  private byte[] checkpointAt(int size) {
    Checkpoint last = Checkpoint.parse(checkpoints.getLast());
    // Re-sign the state at `size` the way a restarted writer does; its head is entry size-1's hash.
    String head = dev.warden.ledger.crypto.Hex.encode(dev.warden.ledger.crypto.Sha256.hash(entries.get(size - 1)));
    dev.warden.ledger.crypto.MerkleTree t = new dev.warden.ledger.crypto.MerkleTree(false);
    for (int i = 0; i < size; i++) {
      t.append(entries.get(i), 0, entries.get(i).length);
    }
    return Checkpoint.sign(last.chain(), size, head, t.rootHex(), Instant.now(), key).toLine();
  }

  @Test
  void unacknowledgedEntriesRolledBackAtARestartAreDroppedAndReported() {
    byte[] orphan = new String(entries.get(4), StandardCharsets.UTF_8).replace("\"r4\"", "\"lost\"")
        .getBytes(StandardCharsets.UTF_8);
    // gen(0), e0..e3, then orphan seq 4 sent but never acknowledged, crash, restart: checkpoint(4), e4, e5.
    List<ChainRecord> records = List.of(c(checkpoints.get(0)), e(entries.get(0)), e(entries.get(1)),
        e(entries.get(2)), e(entries.get(3)), e(orphan), c(checkpointAt(4)), e(entries.get(4)), e(entries.get(5)),
        c(checkpoints.getLast()));
    VerificationResult r = verify(records);
    assertThat(r.summary()).startsWith("OK 6 entries, head ");
    assertThat(r.notes()).anyMatch(n -> n.startsWith("1 entries sent by a writer that then crashed"));
  }

  @Test
  void rollingBackSignedEntriesFails() {
    List<ChainRecord> records = List.of(c(checkpoints.get(0)), e(entries.get(0)), e(entries.get(1)),
        e(entries.get(2)), e(entries.get(3)), c(checkpointAt(4)), c(checkpointAt(2)));
    assertThat(verify(records).summary())
        .isEqualTo("FAIL at entry 2: checkpoint record 3 rolls the chain back to 2 entries, below the 4 already signed");
  }

  @Test
  void aStreamWithoutItsGenesisAnchorMustStartAtEntryZero() {
    List<ChainRecord> records = List.of(e(entries.get(1)), e(entries.get(2)));
    assertThat(verify(records).summary()).startsWith("FAIL at entry 0: seq 1 (expected: 0)");
  }
}
