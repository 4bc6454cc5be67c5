package dev.warden.ledger.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

  /** RFC 9162 §2.1.1, written as literally as possible, to compare the incremental tree against. */
  private static byte[] mth(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      return Sha256.hash(new byte[0]);
    }
    if (leaves.size() == 1) {
      return MerkleTree.leafHash(leaves.get(0));
    }
    int k = Integer.highestOneBit(leaves.size() - 1);
    byte[] l = mth(leaves.subList(0, k));
    byte[] r = mth(leaves.subList(k, leaves.size()));
    byte[] in = new byte[65];
    in[0] = 1;
    System.arraycopy(l, 0, in, 1, 32);
    System.arraycopy(r, 0, in, 33, 32);
    return Sha256.hash(in);
  }

  private static List<byte[]> leaves(int n) {
    List<byte[]> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8));
    }
    return l;
  }

  @Test
  void incrementalRootEqualsTheRecursiveDefinitionAtEverySize() {
    List<byte[]> all = leaves(70);
    MerkleTree tree = new MerkleTree(false);
    assertThat(tree.root()).isEqualTo(mth(List.of()));
    for (int n = 1; n <= all.size(); n++) {
      byte[] leaf = all.get(n - 1);
      tree.append(leaf, 0, leaf.length);
      assertThat(tree.root()).as("size " + n).isEqualTo(mth(all.subList(0, n)));
    }
  }

  @Test
  void knownAnswerFromTheCertificateTransparencyTestVectors() {
    // The eight leaves used by the RFC 6962 reference tests; same hashing in RFC 9162.
    String[] hex = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
    MerkleTree tree = new MerkleTree(false);
    for (String h : hex) {
      byte[] b = Hex.decode(h);
      tree.append(b, 0, b.length);
    }
    assertThat(tree.rootHex()).isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  }

  @Test
  void inclusionProofsVerifyForEveryLeafOfEveryTreeSizeAndFailForOtherLeaves() {
    List<byte[]> all = leaves(33);
    MerkleTree tree = new MerkleTree(true);
    for (byte[] l : all) {
      tree.append(l, 0, l.length);
    }
    for (int size = 1; size <= all.size(); size++) {
      byte[] root = mth(all.subList(0, size));
      for (int i = 0; i < size; i++) {
        List<byte[]> proof = tree.inclusionProof(i, size);
        assertThat(MerkleTree.verifyInclusion(MerkleTree.leafHash(all.get(i)), i, size, proof, root))
            .as("leaf " + i + " of " + size).isTrue();
        int other = (i + 1) % size;
        if (other != i) {
          assertThat(MerkleTree.verifyInclusion(MerkleTree.leafHash(all.get(other)), i, size, proof, root)).isFalse();
        }
        byte[] badRoot = Arrays.copyOf(root, 32);
        badRoot[0] ^= 1;
        assertThat(MerkleTree.verifyInclusion(MerkleTree.leafHash(all.get(i)), i, size, proof, badRoot)).isFalse();
      }
    }
  }
}
