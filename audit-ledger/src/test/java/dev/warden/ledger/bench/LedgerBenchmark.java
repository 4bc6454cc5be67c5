package dev.warden.ledger.bench;

import dev.warden.ledger.Durability;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.TestEntries;
import dev.warden.ledger.verify.LedgerVerifier;
import dev.warden.ledger.verify.VerificationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durable appends per second (group commit, real fsync) and verification speed. Needs only the module's classes:
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -q -pl audit-ledger test-compile &amp;&amp; \
 *   java -cp audit-ledger/target/classes:audit-ledger/target/test-classes \
 *     dev.warden.ledger.bench.LedgerBenchmark [threads=64] [seconds=10] [durability=FSYNC] [dir=/tmp/...]
 *     [draft=full|small]
 * </pre>
 */
public final class LedgerBenchmark {
  public static void main(String[] args) throws Exception {
    int threads = 64;
    int seconds = 10;
    Durability durability = Durability.FSYNC;
    Path dir = null;
    boolean small = false;
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "threads" -> threads = Integer.parseInt(kv[1]);
        case "seconds" -> seconds = Integer.parseInt(kv[1]);
        case "durability" -> durability = Durability.valueOf(kv[1]);
        case "dir" -> dir = Path.of(kv[1]);
        case "draft" -> small = kv[1].equals("small");
        default -> throw new IllegalArgumentException("unknown argument " + a
            + " (expected: threads=N seconds=N durability=FSYNC|RELAXED dir=PATH draft=full|small)");
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("ledger-bench");
    }
    System.out.println("ledger dir " + dir + ", " + Runtime.getRuntime().availableProcessors() + " cores, java "
        + Runtime.version());

    LongAdder appended = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<long[]> latencies = new ArrayList<>();
    long start;
    long end;
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).chainId("bench").durability(durability).build())) {
      // Warm up the JIT, then measure.
      runFor(ledger, threads, 2, small, new LongAdder(), new AtomicBoolean(), new ArrayList<>());
      long before = ledger.head().size();
      start = System.nanoTime();
      runFor(ledger, threads, seconds, small, appended, stop, latencies);
      end = System.nanoTime();
      if (ledger.head().size() - before != appended.sum()) {
        throw new IllegalStateException("head moved " + (ledger.head().size() - before) + " but "
            + appended.sum() + " appends returned");
      }
    }
    double secs = (end - start) / 1e9;
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
    System.out.printf("durable appends: %d threads, %s, %s drafts, %d entries in %.1f s = %,.0f entries/s"
            + " (latency p50 %.2f ms, p99 %.2f ms)%n",
        threads, durability, small ? "small" : "full", appended.sum(), secs, appended.sum() / secs,
        all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);

    // Three runs: the first includes JIT compilation of the verifier (what a one-off CLI run pays on a small
    // ledger); later runs show the steady rate that dominates on a large one.
    for (int run = 1; run <= 3; run++) {
      long v0 = System.nanoTime();
      VerificationResult r = LedgerVerifier.verify(dir);
      double vsecs = (System.nanoTime() - v0) / 1e9;
      long entries = r instanceof VerificationResult.Intact i ? i.entries() : -1;
      System.out.printf("verify run %d: %s%n        %d entries in %.2f s = %,.0f entries/min%n", run, r.summary(),
          entries, vsecs, entries / vsecs * 60);
      if (!r.ok()) {
        System.exit(1);
      }
    }
  }

  /**
   * Each thread appends in a loop, waiting for each entry to be durable. {@code small}: a three-member entry, to
   * see the ledger's own cost apart from building a realistic draft (HMAC digest, decimals, strings).
   */
  private static void runFor(Ledger ledger, int threads, int seconds, boolean small, LongAdder count,
      AtomicBoolean stop,
      List<long[]> latencies) throws InterruptedException {
    List<Thread> ts = new ArrayList<>();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    for (int t = 0; t < threads; t++) {
      long[] samples = new long[200_000];
      latencies.add(samples);
      ts.add(Thread.ofVirtual().start(() -> {
        int i = 0;
        while (System.nanoTime() < deadline && !stop.get()) {
          EntryDraft d = small ? TestEntries.small(i) : TestEntries.draft(ledger, i);
          long t0 = System.nanoTime();
          ledger.append(d);
          samples[i % samples.length] = System.nanoTime() - t0;
          i++;
          count.increment();
        }
      }));
    }
    for (Thread t : ts) {
      t.join();
    }
  }
}
