package dev.warden.ledger;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.checkpoint.SigningKey;
import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.MerkleTree;
import dev.warden.ledger.crypto.Sha256;
import dev.warden.ledger.store.SegmentFileStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A closed ledger's checkpoints rewritten as a year of traffic leaves them: many, one per entry here. */
public final class TestCheckpoints {
  private TestCheckpoints() {}

  /** Writes {@code entries} small entries to a new ledger in {@code dir}, signed with {@code key}, and closes it. */
  public static void smallEntries(Path dir, String chain, SigningKey key, int entries) {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).chainId(chain).signingKey(key)
        .durability(Durability.RELAXED).checkpointEvery(1_000_000).build())) {
      List<CompletableFuture<?>> batch = new ArrayList<>();
      for (int i = 0; i < entries; i++) {
        batch.add(ledger.appendAsync(TestEntries.small(i)));
        if (batch.size() == 1_000) {
          CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
          batch.clear();
        }
      }
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
    }
  }

  /**
   * Replaces the checkpoints of the closed ledger in {@code dir} with one per size from 0 to its length, each signed
   * with {@code key} as the writer signs them; returns the ledger's length.
   */
  public static long onePerEntry(Path dir, String chain, SigningKey key) throws IOException {
    MerkleTree tree = new MerkleTree(false);
    Instant time = Instant.parse("2026-12-01T00:00:00Z");
    long[] size = {0};
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(SegmentFileStore.CHECKPOINTS)),
        1 << 16)) {
      out.write(Checkpoint.sign(chain, 0, ChainRules.genesis(chain), tree.rootHex(), time, key).toLine());
      out.write('\n');
      SegmentFileStore.readEntries(dir, (buf, off, len) -> {
        tree.append(buf, off, len);
        size[0]++;
        String head = Hex.encode(Sha256.hash(buf, off, len));
        out.write(Checkpoint.sign(chain, size[0], head, tree.rootHex(), time.plusSeconds(size[0]), key).toLine());
        out.write('\n');
      });
    }
    return size[0];
  }
}
