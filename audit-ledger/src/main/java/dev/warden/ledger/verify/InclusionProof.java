package dev.warden.ledger.verify;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.MerkleTree;
import dev.warden.ledger.store.SegmentFileStore;
import dev.warden.ledger.store.SegmentLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Proof that one entry line is entry {@code index} of the first {@code treeSize} entries of a chain, checkable
 * against a signed checkpoint of that size (its {@code root}) without the rest of the ledger: what an auditor
 * hands a third party who asks about a single request.
 *
 * @param path the RFC 9162 audit path, hex, leaf to root
 */
public record InclusionProof(long index, long treeSize, byte[] line, List<String> path) {

  public InclusionProof {
    requireNonNull(line, "line");
    path = List.copyOf(path);
    if (index < 0 || index >= treeSize) {
      throw new IllegalArgumentException("index " + index + " (expected: 0.." + (treeSize - 1) + ")");
    }
  }

  /**
   * Builds the proof for entry {@code index} in the tree of {@code checkpoint}'s size, from a ledger directory.
   *
   * <p>Reads the first {@code checkpoint.size()} entries once, as a stream, and keeps O(log size) hashes: the audit
   * path consists of the roots of the subtrees beside the path from the leaf up, and those are disjoint ranges of
   * leaves, so each root is computed as its leaves pass by. Safe while a ledger appends: a checkpoint is written
   * after the entries it covers are durable.
   */
  public static InclusionProof prove(Path dir, long index, Checkpoint checkpoint) {
    long size = checkpoint.size();
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "entry " + index + " is not covered by checkpoint of size " + size + " (expected: 0.." + (size - 1) + ")");
    }
    List<Sibling> path = new ArrayList<>();
    siblings(path, index, 0, size);
    List<Sibling> byStart = new ArrayList<>(path);
    byStart.sort((a, b) -> Long.compare(a.from, b.from));
    byte[][] line = new byte[1][];
    long[] leaf = {0};
    int[] next = {0};
    try {
      for (Path segment : SegmentFileStore.segments(dir)) {
        SegmentLines.forEach(segment, (buf, off, len) -> {
          long i = leaf[0]++;
          if (i == index) {
            line[0] = Arrays.copyOfRange(buf, off, off + len);
          } else {
            while (i >= byStart.get(next[0]).end()) {
              next[0]++;
            }
            byStart.get(next[0]).tree.append(buf, off, len);
          }
          return leaf[0] < size;
        });
        if (leaf[0] >= size) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read ledger " + dir + ": " + e.getMessage(), e);
    }
    if (leaf[0] < size || line[0] == null) {
      throw new IllegalStateException("ledger " + dir + " has " + leaf[0] + " entries, fewer than the " + size
          + " the checkpoint signs");
    }
    List<String> hashes = new ArrayList<>();
    for (Sibling s : path) {
      hashes.add(Hex.encode(s.tree.root()));
    }
    return new InclusionProof(index, size, line[0], hashes);
  }

  /** A subtree beside the path from a leaf to the root: leaves {@code [from, from + size)} and their root so far. */
  private record Sibling(long from, long size, MerkleTree tree) {
    Sibling(long from, long size) {
      this(from, size, new MerkleTree(false));
    }

    long end() {
      return from + size;
    }
  }

  /** The subtrees beside leaf {@code m}'s path in the tree over leaves {@code [from, from + n)}, leaf first. */
  private static void siblings(List<Sibling> out, long m, long from, long n) {
    if (n == 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1); // RFC 9162 §2.1.1: split at the largest power of two below n
    if (m < k) {
      siblings(out, m, from, k);
      out.add(new Sibling(from + k, n - k));
    } else {
      siblings(out, m - k, from + k, n - k);
      out.add(new Sibling(from, k));
    }
  }

  /**
   * True if this proof leads from the line to {@code checkpoint}'s signed root. Check the checkpoint's signature
   * separately ({@link Checkpoint#verifySignature}); a proof against an unsigned root proves nothing.
   */
  public boolean verify(Checkpoint checkpoint) {
    if (checkpoint.size() != treeSize) {
      return false;
    }
    List<byte[]> hashes = new ArrayList<>();
    for (String h : path) {
      hashes.add(Hex.decode(h));
    }
    return MerkleTree.verifyInclusion(MerkleTree.leafHash(line), index, treeSize, hashes,
        Hex.decode(checkpoint.root()));
  }
}
