package dev.warden.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.TestEntries;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.MerkleTree;
import dev.warden.ledger.store.SegmentFileStore;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InclusionProofTest {
  @TempDir Path dir;

  @Test
  void everyEntryIsProvableAgainstTheSignedRootAndAnEditedLineIsNot() {
    Checkpoint cp;
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).build())) {
      for (int i = 0; i < 13; i++) {
        ledger.append(TestEntries.small(i));
      }
      cp = ledger.checkpoint();
    }
    for (int i = 0; i < 13; i++) {
      InclusionProof p = InclusionProof.prove(dir, i, cp);
      assertThat(p.verify(cp)).as("entry " + i).isTrue();
      assertThat(new String(p.line(), StandardCharsets.UTF_8)).contains("\"seq\":" + i + ",");
      byte[] edited = p.line().clone();
      edited[edited.length - 3] ^= 1;
      assertThat(new InclusionProof(i, p.treeSize(), edited, p.path()).verify(cp)).isFalse();
    }
    assertThatThrownBy(() -> InclusionProof.prove(dir, 13, cp)).hasMessageContaining("not covered by checkpoint of size 13");
  }

  @Test
  void theStreamedProofEqualsTheOneFromTheWholeTreeForEveryIndexAndSize() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).maxSegmentBytes(1024).build())) {
      for (int i = 0; i < 37; i++) {
        ledger.append(TestEntries.small(i));
      }
    }
    MerkleTree whole = new MerkleTree(true);
    SegmentFileStore.readEntries(dir, (buf, off, len) -> whole.append(buf, off, len));
    for (long size = 1; size <= 37; size++) {
      // A checkpoint of this size; only size and root matter to the proof.
      Checkpoint cp = new Checkpoint("main", size, "0".repeat(64), "0".repeat(64), java.time.Instant.EPOCH, "k", "s");
      for (long index = 0; index < size; index++) {
        List<String> expected = new ArrayList<>();
        whole.inclusionProof(index, size).forEach(h -> expected.add(Hex.encode(h)));
        assertThat(InclusionProof.prove(dir, index, cp).path()).as("index %d of %d", index, size)
            .isEqualTo(expected);
      }
    }
  }
}
