package dev.warden.ledger.verify;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.MerkleTree;
import dev.warden.ledger.store.SegmentFileStore;
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

  /** Builds the proof for entry {@code index} in the tree of {@code checkpoint}'s size, from a ledger directory. */
  public static InclusionProof prove(Path dir, long index, Checkpoint checkpoint) {
    long size = checkpoint.size();
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "entry " + index + " is not covered by checkpoint of size " + size + " (expected: 0.." + (size - 1) + ")");
    }
    MerkleTree tree = new MerkleTree(true);
    byte[][] line = new byte[1][];
    try {
      SegmentFileStore.readEntries(dir, (buf, off, len) -> {
        if (tree.size() < size) {
          if (tree.size() == index) {
            line[0] = Arrays.copyOfRange(buf, off, off + len);
          }
          tree.append(buf, off, len);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not read ledger " + dir + ": " + e.getMessage(), e);
    }
    if (tree.size() < size || line[0] == null) {
      throw new IllegalStateException("ledger " + dir + " has " + tree.size() + " entries, fewer than the " + size
          + " the checkpoint signs");
    }
    List<String> path = new ArrayList<>();
    for (byte[] h : tree.inclusionProof(index, size)) {
      path.add(Hex.encode(h));
    }
    return new InclusionProof(index, size, line[0], path);
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
