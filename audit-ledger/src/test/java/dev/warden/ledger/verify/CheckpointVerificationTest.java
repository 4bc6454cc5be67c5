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
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint signatures, key ids, rotation, forks and rollbacks. */
class CheckpointVerificationTest {
  @TempDir Path dir;

  private final SigningKey keyA = SigningKey.generate();
  private final SigningKey keyB = SigningKey.generate();

  private void writeEntries(SigningKey key, int from, int to) {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).chainId("gw-1").signingKey(key).build())) {
      for (int i = from; i < to; i++) {
        ledger.append(TestEntries.small(i));
      }
    }
  }

  private static PublicKeyRing ring(SigningKey... keys) {
    PublicKeyRing r = PublicKeyRing.empty();
    for (SigningKey k : keys) {
      r.add(k.keyId(), k.publicKey());
    }
    return r;
  }

  private static java.io.PrintStream quiet() {
    return new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
  }

  private VerificationResult verify(PublicKeyRing ring) {
    return LedgerVerifier.verify(dir, VerifyOptions.withKeys(ring));
  }

  private List<String> checkpointLines() throws Exception {
    return Files.readAllLines(dir.resolve(SegmentFileStore.CHECKPOINTS));
  }

  private void appendCheckpoint(Checkpoint cp) throws Exception {
    Files.write(dir.resolve(SegmentFileStore.CHECKPOINTS), (cp + "\n").getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);
  }

  @Test
  void verifiesWithTheRightPublicKey() {
    writeEntries(keyA, 0, 5);
    VerificationResult r = verify(ring(keyA));
    assertThat(r.ok()).as(r.lines().toString()).isTrue();
    assertThat(r.notes()).anyMatch(n -> n.startsWith("newest checkpoint: 5 entries, signed ")
        && n.contains(" by " + keyA.keyId()));
  }

  @Test
  void unknownKeyIdFails() {
    writeEntries(keyA, 0, 5);
    VerificationResult r = verify(ring(keyB));
    assertThat(r.summary()).startsWith("FAIL at entry 0: checkpoint line 1 (size 0) is signed by unknown key id "
        + keyA.keyId() + " (known: " + keyB.keyId() + ")");
  }

  @Test
  void aSignatureByAnotherKeyUnderTheRightKeyIdFails() throws Exception {
    writeEntries(keyA, 0, 5);
    // An attacker without key A signs a checkpoint of their own and labels it with A's id.
    SigningKey impostor = new SigningKey(keyA.keyId(), keyB.privateKey(), null);
    Checkpoint honest = Checkpoint.parse(checkpointLines().getLast().getBytes(StandardCharsets.UTF_8));
    appendCheckpoint(Checkpoint.sign("gw-1", 5, honest.head(), honest.root(), Instant.now(), impostor));
    assertThat(verify(ring(keyA)).summary())
        .isEqualTo("FAIL at entry 4: checkpoint line 3 (size 5) has a bad signature for key " + keyA.keyId());
  }

  @Test
  void anEditedCheckpointFailsItsSignature() throws Exception {
    writeEntries(keyA, 0, 5);
    List<String> lines = checkpointLines();
    String edited = lines.getLast().replace("\"size\":5", "\"size\":4");
    Files.writeString(dir.resolve(SegmentFileStore.CHECKPOINTS), lines.getFirst() + "\n" + edited + "\n");
    assertThat(verify(ring(keyA)).summary()).startsWith("FAIL at entry 3: checkpoint line 2 (size 4) has a bad signature");
  }

  @Test
  void rotationVerifiesWithBothKeysAndNamesTheMissingOne() {
    writeEntries(keyA, 0, 5);
    writeEntries(keyB, 5, 9); // restart with a new key
    VerificationResult both = verify(ring(keyA, keyB));
    assertThat(both.summary()).startsWith("OK 9 entries, head ");
    assertThat(verify(ring(keyB)).summary()).contains("unknown key id " + keyA.keyId());
    assertThat(verify(ring(keyA)).summary()).contains("unknown key id " + keyB.keyId());
  }

  @Test
  void publicKeyFilesWrittenBesideTheLedgerCarryTheirKeyIds() throws Exception {
    writeEntries(keyA, 0, 2);
    writeEntries(keyB, 2, 3);
    PublicKeyRing fromFiles = PublicKeyRing.empty().addPemDirectory(dir.resolve("keys"));
    assertThat(fromFiles.keyIds()).containsExactlyInAnyOrder(keyA.keyId(), keyB.keyId());
    // The CLI path: --public-key files, keys inside the ledger directory not trusted.
    assertThat(VerifyCommand.run(new String[] {"verify", "--dir", dir.toString(), "--public-key",
        dir.resolve("keys/" + keyA.keyId() + ".pub.pem").toString()}, quiet(), quiet())).isEqualTo(1);
  }

  @Test
  void aForkOfTwoValidCheckpointsOfOneSizeFails() throws Exception {
    writeEntries(keyA, 0, 5);
    Checkpoint honest = Checkpoint.parse(checkpointLines().getLast().getBytes(StandardCharsets.UTF_8));
    // The key holder (or a thief of the key) signs a different history of the same length.
    appendCheckpoint(Checkpoint.sign("gw-1", 5, "ab".repeat(32), honest.root(), Instant.now(), keyA));
    assertThat(verify(ring(keyA)).summary()).startsWith("FAIL at entry 4: fork: checkpoint lines 2 and 3 both sign size 5");
  }

  @Test
  void aValidCheckpointThatGoesBackFails() throws Exception {
    writeEntries(keyA, 0, 5);
    Checkpoint genesis = Checkpoint.parse(checkpointLines().getFirst().getBytes(StandardCharsets.UTF_8));
    appendCheckpoint(Checkpoint.sign("gw-1", 0, genesis.head(), genesis.root(), Instant.now(), keyA));
    assertThat(verify(ring(keyA)).summary()).contains("signs size 0 after line 2 signed 5");
  }

  @Test
  void aValidCheckpointThatDisagreesWithTheEntriesFails() throws Exception {
    writeEntries(keyA, 0, 5);
    Checkpoint honest = Checkpoint.parse(checkpointLines().getLast().getBytes(StandardCharsets.UTF_8));
    Files.writeString(dir.resolve(SegmentFileStore.CHECKPOINTS), checkpointLines().getFirst() + "\n");
    appendCheckpoint(Checkpoint.sign("gw-1", 3, "cd".repeat(32), honest.root(), Instant.now(), keyA));
    assertThat(verify(ring(keyA)).summary()).startsWith("FAIL at entry 2: hash ");
  }

  @Test
  void theMerkleRootInEachCheckpointIsChecked() throws Exception {
    writeEntries(keyA, 0, 5);
    Checkpoint honest = Checkpoint.parse(checkpointLines().getLast().getBytes(StandardCharsets.UTF_8));
    Files.writeString(dir.resolve(SegmentFileStore.CHECKPOINTS), checkpointLines().getFirst() + "\n");
    appendCheckpoint(Checkpoint.sign("gw-1", 5, honest.head(), "ef".repeat(32), Instant.now(), keyA));
    assertThat(verify(ring(keyA)).summary()).startsWith("FAIL at entry 4: Merkle root " + honest.root());
  }

  @Test
  void aSizeThatComesBackWithAnotherHeadIsReportedAsTheForkItIs() throws Exception {
    writeEntries(keyA, 0, 5);
    Checkpoint genesis = Checkpoint.parse(checkpointLines().getFirst().getBytes(StandardCharsets.UTF_8));
    // Read in step, line 3 is first seen as going back; the verifier looks line 1 up again to name the fork.
    appendCheckpoint(Checkpoint.sign("gw-1", 0, "ab".repeat(32), genesis.root(), Instant.now(), keyA));
    assertThat(verify(ring(keyA)).summary())
        .startsWith("FAIL at entry 0: fork: checkpoint lines 1 and 3 both sign size 0 but heads " + genesis.head());
  }

  @Test
  void aBadCheckpointPastABadEntryIsStillTheVerdict() throws Exception {
    writeEntries(keyA, 0, 5);
    Path seg = dir.resolve("segment-000001.jsonl");
    List<String> lines = Files.readAllLines(seg);
    Files.write(seg, List.of(lines.get(0), lines.get(2), lines.get(1), lines.get(3), lines.get(4)));
    appendCheckpoint(Checkpoint.sign("gw-1", 9, "ab".repeat(32), "cd".repeat(32), Instant.now(),
        new SigningKey(keyA.keyId(), keyB.privateKey(), null)));
    // The checkpoints are read in step with the entries, but all are checked before a verdict on an entry.
    assertThat(verify(ring(keyA)).summary())
        .isEqualTo("FAIL at entry 8: checkpoint line 3 (size 9) has a bad signature for key " + keyA.keyId());
  }
}
