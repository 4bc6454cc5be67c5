package dev.warden.ledger;

import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.MerkleTree;
import dev.warden.ledger.json.CanonicalJson;
import dev.warden.ledger.json.JsonParser;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a files ledger stood at a checkpoint, so that opening it reads only the entries written since instead of the
 * whole chain (a month of a busy gateway is hundreds of millions of entries: tens of minutes to read).
 *
 * <p>Kept in {@code resume.json} beside the segments: the chain, the size and head the checkpoint signed, the Merkle
 * tree's right edge at that size (its root is the checkpoint's root), the segment file and offset where the next entry
 * went, and the length of {@code checkpoints.jsonl} after that checkpoint's line. It is a hint and never evidence:
 * the verifier does not read it, and opening trusts it only after checking it against the files (the entry before the
 * offset hashes to the head and has the right sequence number, the checkpoint line before the recorded length is the
 * one it names, the edge gives the signed root); anything that does not hold, a missing or unreadable file included,
 * means the whole chain is read as before. Written without an fsync (a lost or stale state only costs a longer open:
 * a ledger is append-only, so an older state is still true of its prefix), through a temporary file and a rename so
 * that it is never half written.
 */
record ResumeState(String chain, long size, String head, String root, long[] edgeSizes, List<byte[]> edgeHashes,
    String segment, long offset, long checkpointsEnd) {

  static final String FILE = "resume.json";

  byte[] encode() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chain", chain);
    m.put("size", size);
    m.put("head", head);
    m.put("root", root);
    List<Object> edge = new ArrayList<>();
    for (int i = 0; i < edgeSizes.length; i++) {
      edge.add(Map.of("size", edgeSizes[i], "hash", Hex.encode(edgeHashes.get(i))));
    }
    m.put("edge", edge);
    m.put("segment", segment);
    m.put("offset", offset);
    m.put("checkpoints_end", checkpointsEnd);
    return CanonicalJson.encode(m);
  }

  /** The Merkle tree at {@link #size()}: {@code IllegalArgumentException} if the edge does not make one of that size. */
  MerkleTree merkle() {
    MerkleTree t = MerkleTree.fromEdge(edgeSizes, edgeHashes);
    if (t.size() != size) {
      throw new IllegalArgumentException("the Merkle edge covers " + t.size() + " leaves (expected: " + size + ")");
    }
    return t;
  }

  /** Parses a state; {@code IllegalArgumentException} naming what is wrong. */
  static ResumeState decode(byte[] json) {
    Map<String, @Nullable Object> m = JsonParser.parseObject(json, 0, json.length);
    List<?> edge = field(m, "edge", List.class);
    long[] sizes = new long[edge.size()];
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < edge.size(); i++) {
      if (!(edge.get(i) instanceof Map<?, ?> e) || !(e.get("size") instanceof Long s)
          || !(e.get("hash") instanceof String h) || !h.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("edge " + i + " is not {\"hash\":64 hex digits,\"size\":n}");
      }
      sizes[i] = s;
      hashes.add(Hex.decode(h));
    }
    String head = field(m, "head", String.class);
    String root = field(m, "root", String.class);
    if (!head.matches("[0-9a-f]{64}") || !root.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("head and root must be 64 hex digits");
    }
    long size = field(m, "size", Long.class);
    long offset = field(m, "offset", Long.class);
    long checkpointsEnd = field(m, "checkpoints_end", Long.class);
    if (size < 0 || offset < 0 || checkpointsEnd <= 0) {
      throw new IllegalArgumentException("size " + size + ", offset " + offset + ", checkpoints_end " + checkpointsEnd
          + " (expected: >= 0, >= 0, > 0)");
    }
    return new ResumeState(field(m, "chain", String.class), size, head, root, sizes, hashes,
        field(m, "segment", String.class), offset, checkpointsEnd);
  }

  private static <T> T field(Map<String, @Nullable Object> m, String name, Class<T> type) {
    Object v = m.get(name);
    if (!type.isInstance(v)) {
      throw new IllegalArgumentException("\"" + name + "\" is " + (v == null ? "missing" : "not a " + type.getSimpleName()));
    }
    return type.cast(v);
  }

  /** Replaces {@code dir/resume.json} with this state, never leaving a half-written file behind. */
  void save(Path dir) throws IOException {
    Path tmp = dir.resolve(FILE + ".tmp");
    try {
      Files.write(tmp, encode());
      try {
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      Files.deleteIfExists(tmp); // a disk that filled up mid-write: nothing half written is left behind
      throw e;
    }
  }

  /** The state in {@code dir}, or null if there is none; {@code IllegalArgumentException} if it cannot be parsed. */
  static @Nullable ResumeState load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    return decode(Files.readAllBytes(file));
  }
}
