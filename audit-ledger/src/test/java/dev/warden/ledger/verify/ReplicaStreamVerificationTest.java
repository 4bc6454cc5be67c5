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
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interleaved-stream rules used for Kafka, without a broker: a writer that crashed after sending entries it
 * never acknowledged rolls them back with a signed checkpoint at restart; rolling back what was signed fails. Every
 * case runs three ways, which must agree: the list, a single-use iterator, and records pushed one at a time.
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

  private VerifyOptions options() {
    return VerifyOptions.withKeys(PublicKeyRing.empty().add(key.keyId(), key.publicKey()));
  }

  private VerificationResult verify(List<ChainRecord> records) {
    VerificationResult fromList = LedgerVerifier.verifyRecords("gw-1", records, options());
    // An iterator that can be walked once, like a topic being read.
    Iterator<ChainRecord> once = List.copyOf(records).iterator();
    VerificationResult fromIterator = LedgerVerifier.verifyRecords("gw-1", once, options());
    ReplicaStreamVerifier pushed = new ReplicaStreamVerifier("gw-1", options());
    for (ChainRecord r : records) {
      if (!pushed.accept(r)) {
        break;
      }
    }
    VerificationResult fromPushes = pushed.finish();
    assertThat(fromIterator.lines()).isEqualTo(fromList.lines());
    assertThat(fromPushes.lines()).isEqualTo(fromList.lines());
    return fromList;
  }

  private List<ChainRecord> intact() {
    List<ChainRecord> records = new ArrayList<>();
    records.add(c(checkpoints.getFirst()));
    entries.forEach(l -> records.add(e(l)));
    records.add(c(checkpoints.getLast()));
    return records;
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

  @Test
  void anIntactStreamVerifies() {
    VerificationResult r = verify(intact());
    assertThat(r.summary()).startsWith("OK 6 entries, head ");
    assertThat(r.notes()).anyMatch(n -> n.startsWith("newest checkpoint: 6 entries"));
  }

  @Test
  void aReplicaThatJoinedLateIsAnchoredByItsFirstCheckpoint() {
    List<ChainRecord> records = new ArrayList<>(List.of(c(checkpointAt(2))));
    entries.subList(2, 6).forEach(l -> records.add(e(l)));
    records.add(c(checkpoints.getLast()));
    VerificationResult r = verify(records);
    assertThat(r.summary()).startsWith("OK 6 entries, head ");
    assertThat(r.notes()).contains("the stream starts at entry 2, anchored by a signed checkpoint");
  }

  @Test
  void aChangedSignedEntryIsNamed() {
    List<ChainRecord> records = intact();
    records.set(3, e(new String(entries.get(2), StandardCharsets.UTF_8).replace("\"r2\"", "\"x2\"")
        .getBytes(StandardCharsets.UTF_8)));
    assertThat(verify(records).summary()).startsWith("FAIL at entry 2: entry changed: its hash no longer matches");
  }

  @Test
  void aDeletedEntryIsNamed() {
    List<ChainRecord> records = intact();
    records.remove(4); // entry 3
    assertThat(verify(records).summary())
        .isEqualTo("FAIL at entry 3: seq 4 (expected: 3): missing or reordered entry");
  }

  @Test
  void entriesCutOffBeforeTheirCheckpointFail() {
    List<ChainRecord> records = intact();
    records.subList(5, 7).clear(); // entries 4 and 5
    assertThat(verify(records).summary()).isEqualTo("FAIL at entry 4: the chain ends after 4 entries but checkpoint"
        + " line 2 signs 6: entries were cut off or deleted");
  }

  @Test
  void aCheckpointSignedByAnotherKeyUnderTheRightIdFails() {
    SigningKey impostor = new SigningKey(key.keyId(), SigningKey.generate().privateKey(), null);
    Checkpoint honest = Checkpoint.parse(checkpoints.getLast());
    List<ChainRecord> records = intact();
    records.set(records.size() - 1, c(Checkpoint.sign("gw-1", 6, honest.head(), honest.root(), Instant.now(),
        impostor).toLine()));
    assertThat(verify(records).summary())
        .isEqualTo("FAIL at entry 5: checkpoint line 2 (size 6) has a bad signature for key " + key.keyId());
  }

  @Test
  void twoCheckpointsOfOneSizeWithDifferentHeadsAreAFork() {
    Checkpoint honest = Checkpoint.parse(checkpoints.getLast());
    List<ChainRecord> records = intact();
    records.add(c(Checkpoint.sign("gw-1", 6, "ab".repeat(32), honest.root(), Instant.now(), key).toLine()));
    assertThat(verify(records).summary())
        .startsWith("FAIL at entry 5: fork: checkpoint lines 2 and 3 both sign size 6 but heads ");
  }

  @Test
  void aCheckpointThatDisagreesWithTheEntriesFails() {
    Checkpoint honest = Checkpoint.parse(checkpoints.getLast());
    List<ChainRecord> records = intact();
    records.set(records.size() - 1,
        c(Checkpoint.sign("gw-1", 6, "cd".repeat(32), honest.root(), Instant.now(), key).toLine()));
    assertThat(verify(records).summary()).startsWith("FAIL at entry 5: hash ");
  }

  @Test
  void aMalformedCheckpointRecordFails() {
    List<ChainRecord> records = List.of(c(checkpoints.getFirst()), e(entries.get(0)),
        c("{\"size\":".getBytes(StandardCharsets.UTF_8)));
    assertThat(verify(records).summary()).startsWith("FAIL at entry 1: checkpoint record 2 is malformed: ");
  }

  @Test
  void aStreamWithoutCheckpointsFails() {
    List<ChainRecord> records = new ArrayList<>();
    entries.forEach(l -> records.add(e(l)));
    assertThat(verify(records).summary())
        .isEqualTo("FAIL at entry 5: no signed checkpoint: nothing proves the chain was not cut short");
  }

  @Test
  void unacknowledgedEntriesAreCheckedOnlyOnceNoRestartCanDropThem() {
    // The orphan is not even JSON: dropped by the restart checkpoint, so never judged.
    List<ChainRecord> records = List.of(c(checkpoints.get(0)), e(entries.get(0)), e(entries.get(1)),
        e(entries.get(2)), e(entries.get(3)), e("garbage".getBytes(StandardCharsets.UTF_8)), c(checkpointAt(4)),
        e(entries.get(4)), e(entries.get(5)), c(checkpoints.getLast()));
    assertThat(verify(records).summary()).startsWith("OK 6 entries, head ");
  }

  @Test
  void recordsAfterTheVerdictAreIgnoredAndFinishIsOnce() {
    ReplicaStreamVerifier v = new ReplicaStreamVerifier("gw-1", options());
    assertThat(v.accept(c(checkpoints.getFirst()))).isTrue();
    assertThat(v.accept(c("not json".getBytes(StandardCharsets.UTF_8)))).isFalse();
    assertThat(v.accept(e(entries.get(0)))).isFalse();
    assertThat(v.finish().summary()).startsWith("FAIL at entry 0: checkpoint record 2 is malformed: ");
    org.assertj.core.api.Assertions.assertThatThrownBy(v::finish).isInstanceOf(IllegalStateException.class)
        .hasMessage("replica stream of chain gw-1 already finished");
  }
}
