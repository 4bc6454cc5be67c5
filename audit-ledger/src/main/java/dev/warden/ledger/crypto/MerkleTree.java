package dev.warden.ledger.crypto;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing over entry lines.
 *
 * <p>Leaf hash {@code SHA-256(0x00 || line)}, interior node {@code SHA-256(0x01 || left || right)}, the tree over
 * {@code n} leaves splitting at the largest power of two below {@code n}; the root of the empty tree is
 * {@code SHA-256("")}. Checkpoints sign the root, so one entry can later be proven to an auditor with
 * {@code log2(n)} hashes ({@link #inclusionProof}) instead of the whole ledger.
 *
 * <p>Appending keeps only the right edge of the tree (one perfect subtree per set bit of the size), so the
 * root after each append costs O(log n) memory. Inclusion proofs need the leaf hashes, so they are kept only when
 * asked for ({@code keepLeaves}). Not thread-safe.
 */
public final class MerkleTree {
  private final MessageDigest md = Sha256.newDigest();
  private final List<byte[]> edge = new ArrayList<>(); // perfect subtree roots, largest first
  private final List<Long> edgeSizes = new ArrayList<>();
  private final boolean keepLeaves;
  private final List<byte[]> leaves = new ArrayList<>();
  private long size;

  public MerkleTree(boolean keepLeaves) {
    this.keepLeaves = keepLeaves;
  }

  public long size() {
    return size;
  }

  /** The sizes of the perfect subtrees on the right edge, largest first (the set bits of {@link #size()}). */
  public long[] edgeSizes() {
    return edgeSizes.stream().mapToLong(Long::longValue).toArray();
  }

  /** The roots of those subtrees, in the same order. */
  public List<byte[]> edgeHashes() {
    return edge.stream().map(byte[]::clone).toList();
  }

  /**
   * A tree that goes on from a right edge saved earlier ({@link #edgeSizes()}, {@link #edgeHashes()}), without its
   * leaves: it appends and gives roots as the original would.
   *
   * @throws IllegalArgumentException if the sizes are not distinct powers of two, largest first, or the hashes are
   *     not 32 bytes each, one per size
   */
  public static MerkleTree fromEdge(long[] sizes, List<byte[]> hashes) {
    if (sizes.length != hashes.size()) {
      throw new IllegalArgumentException(sizes.length + " sizes and " + hashes.size() + " hashes (expected: as many)");
    }
    MerkleTree t = new MerkleTree(false);
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < sizes.length; i++) {
      long s = sizes[i];
      if (s <= 0 || Long.bitCount(s) != 1 || s >= previous) {
        throw new IllegalArgumentException("edge sizes " + Arrays.toString(sizes)
            + " (expected: distinct powers of two, largest first)");
      }
      if (hashes.get(i).length != 32) {
        throw new IllegalArgumentException("edge hash " + i + " has " + hashes.get(i).length
            + " bytes (expected: 32)");
      }
      previous = s;
      t.edge.add(hashes.get(i).clone());
      t.edgeSizes.add(s);
      t.size += s;
    }
    return t;
  }

  /**
   * A tree over the same leaves that grows independently of this one: a verifier resuming from a remembered point
   * continues from a copy, so the point can be resumed from again.
   *
   * @throws IllegalStateException for a tree that keeps its leaves (a copy would duplicate them all)
   */
  public MerkleTree copy() {
    if (keepLeaves) {
      throw new IllegalStateException("a tree that keeps its leaves is not copied");
    }
    MerkleTree c = new MerkleTree(false);
    c.edge.addAll(edge); // the subtree roots are never modified in place, only replaced
    c.edgeSizes.addAll(edgeSizes);
    c.size = size;
    return c;
  }

  /** Adds a leaf (an entry line, without its newline). */
  public void append(byte[] line, int off, int len) {
    appendLeafHash(leafHash(md, line, off, len));
  }

  public void appendLeafHash(byte[] leafHash) {
    if (keepLeaves) {
      leaves.add(leafHash);
    }
    byte[] h = leafHash;
    long s = 1;
    // Merge equal-sized perfect subtrees, like carrying in binary addition.
    while (!edgeSizes.isEmpty() && edgeSizes.get(edgeSizes.size() - 1) == s) {
      int last = edge.size() - 1;
      h = node(md, edge.remove(last), h);
      edgeSizes.remove(last);
      s *= 2;
    }
    edge.add(h);
    edgeSizes.add(s);
    size++;
  }

  /** The root over all leaves so far (hex). */
  public String rootHex() {
    return Hex.encode(root());
  }

  public byte[] root() {
    if (edge.isEmpty()) {
      md.reset();
      return md.digest();
    }
    byte[] h = edge.get(edge.size() - 1);
    for (int i = edge.size() - 2; i >= 0; i--) {
      h = node(md, edge.get(i), h);
    }
    return h;
  }

  /** The audit path for leaf {@code index} in the tree of the first {@code treeSize} leaves (RFC 9162 §2.1.3.1). */
  public List<byte[]> inclusionProof(long index, long treeSize) {
    if (!keepLeaves) {
      throw new IllegalStateException("this tree was built without keepLeaves, so it cannot make proofs");
    }
    if (treeSize > leaves.size() || index < 0 || index >= treeSize) {
      throw new IllegalArgumentException(
          "index " + index + " in tree of " + treeSize + " (expected: 0 <= index < treeSize <= " + leaves.size() + ")");
    }
    List<byte[]> proof = new ArrayList<>();
    path(proof, (int) index, 0, (int) treeSize);
    return proof;
  }

  private void path(List<byte[]> proof, int m, int from, int n) {
    if (n == 1) {
      return;
    }
    int k = Integer.highestOneBit(n - 1);
    if (m < k) {
      path(proof, m, from, k);
      proof.add(subtree(from + k, n - k));
    } else {
      path(proof, m - k, from + k, n - k);
      proof.add(subtree(from, k));
    }
  }

  private byte[] subtree(int from, int n) {
    if (n == 1) {
      return leaves.get(from);
    }
    int k = Integer.highestOneBit(n - 1);
    return node(md, subtree(from, k), subtree(from + k, n - k));
  }

  /** Verifies an inclusion proof (RFC 9162 §2.1.3.2). */
  public static boolean verifyInclusion(byte[] leafHash, long index, long treeSize, List<byte[]> proof, byte[] root) {
    if (index < 0 || index >= treeSize) {
      return false;
    }
    MessageDigest md = Sha256.newDigest();
    long fn = index;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = node(md, p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = node(md, r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Arrays.equals(r, root);
  }

  public static byte[] leafHash(byte[] line) {
    return leafHash(Sha256.newDigest(), line, 0, line.length);
  }

  static byte[] leafHash(MessageDigest md, byte[] line, int off, int len) {
    md.reset();
    md.update((byte) 0x00);
    md.update(line, off, len);
    return md.digest();
  }

  static byte[] node(MessageDigest md, byte[] left, byte[] right) {
    md.reset();
    md.update((byte) 0x01);
    md.update(left);
    md.update(right);
    return md.digest();
  }
}
