package dev.warden.ledger.bench;

import dev.warden.ledger.Durability;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.ForwardingStore;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.TestEntries;
import dev.warden.ledger.store.SegmentFileStore;
import dev.warden.ledger.verify.LedgerVerifier;
import dev.warden.ledger.verify.VerificationResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durable appends per second (group commit, real fsync) with and without the write-ahead journal, what the fsyncs
 * cost, and verification speed. Needs only the module's classes:
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -q -pl audit-ledger test-compile &amp;&amp; \
 *   java -cp audit-ledger/target/classes:audit-ledger/target/test-classes \
 *     dev.warden.ledger.bench.LedgerBenchmark [threads=64] [seconds=10] [durability=FSYNC] [dir=/tmp/...]
 *     [draft=full|small] [journal=both|on|off] [rounds=1] [verify=true]
 * </pre>
 *
 * <p>{@code journal=both} (the default) runs the journal and the direct segment fdatasync one after the other,
 * {@code rounds} times, each on a new ledger. Each run prints appends/s, fsyncs/s by file, the wall and CPU time of
 * the writer thread inside {@code sync()} (CPU: user + system of that thread, so the kernel's work in the
 * fdatasync call is counted; work done by the file system's own threads is not), the writer thread's share of a
 * core, and the process's CPU per append.
 */
public final class LedgerBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    int threads = 64;
    int seconds = 10;
    Durability durability = Durability.FSYNC;
    Path dir = null;
    boolean small = false;
    String journal = "both";
    int rounds = 1;
    boolean verify = true;
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "threads" -> threads = Integer.parseInt(kv[1]);
        case "seconds" -> seconds = Integer.parseInt(kv[1]);
        case "durability" -> durability = Durability.valueOf(kv[1]);
        case "dir" -> dir = Path.of(kv[1]);
        case "draft" -> small = kv[1].equals("small");
        case "journal" -> journal = kv[1];
        case "rounds" -> rounds = Integer.parseInt(kv[1]);
        case "verify" -> verify = Boolean.parseBoolean(kv[1]);
        default -> throw new IllegalArgumentException("unknown argument " + a
            + " (expected: threads=N seconds=N durability=FSYNC|RELAXED dir=PATH draft=full|small"
            + " journal=both|on|off rounds=N verify=true|false)");
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("ledger-bench");
    }
    List<Boolean> modes = switch (journal) {
      case "on" -> List.of(true);
      case "off" -> List.of(false);
      case "both" -> List.of(true, false);
      default -> throw new IllegalArgumentException("journal=" + journal + " (expected: both, on or off)");
    };
    System.out.println("ledger dir " + dir + ", " + Runtime.getRuntime().availableProcessors() + " cores, java "
        + Runtime.version() + ", load average " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    Path last = null;
    for (int round = 1; round <= rounds; round++) {
      for (boolean j : modes) {
        last = dir.resolve((j ? "journal-" : "direct-") + round);
        runOnce(last, j, threads, seconds, durability, small);
      }
    }

    // Three runs: the first includes JIT compilation of the verifier (what a one-off CLI run pays on a small
    // ledger); later runs show the steady rate that dominates on a large one.
    for (int run = 1; verify && run <= 3; run++) {
      long v0 = System.nanoTime();
      VerificationResult r = LedgerVerifier.verify(last);
      double vsecs = (System.nanoTime() - v0) / 1e9;
      long entries = r instanceof VerificationResult.Intact i ? i.entries() : -1;
      System.out.printf("verify run %d: %s%n        %d entries in %.2f s = %,.0f entries/min%n", run, r.summary(),
          entries, vsecs, entries / vsecs * 60);
      if (!r.ok()) {
        System.exit(1);
      }
    }
  }

  private static void runOnce(Path dir, boolean journal, int threads, int seconds, Durability durability,
      boolean small) throws Exception {
    MeasuredStore store = new MeasuredStore(new SegmentFileStore(dir, SegmentFileStore.DEFAULT_MAX_SEGMENT_BYTES,
        journal, SegmentFileStore.DEFAULT_JOURNAL_BYTES));
    LongAdder appended = new LongAdder();
    List<long[]> latencies = new ArrayList<>();
    long start;
    long end;
    Snapshot s0;
    Snapshot s1;
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).chainId("bench").durability(durability)
        .store(store).build())) {
      // Warm up the JIT, then measure.
      runFor(ledger, threads, 2, small, new LongAdder(), new AtomicBoolean(), new ArrayList<>());
      long before = ledger.head().size();
      s0 = store.snapshot();
      start = System.nanoTime();
      runFor(ledger, threads, seconds, small, appended, new AtomicBoolean(), latencies);
      end = System.nanoTime();
      s1 = store.snapshot();
      if (ledger.head().size() - before != appended.sum()) {
        throw new IllegalStateException("head moved " + (ledger.head().size() - before) + " but "
            + appended.sum() + " appends returned");
      }
    }
    double secs = (end - start) / 1e9;
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
    long syncs = s1.syncs - s0.syncs;
    long journalForces = s1.journalForces - s0.journalForces;
    long segmentForces = s1.segmentForces - s0.segmentForces;
    long checkpointForces = s1.checkpointForces - s0.checkpointForces;
    System.out.printf("%s: %d threads, %s, %s drafts, %d entries in %.1f s = %,.0f appends/s"
            + " (latency p50 %.2f ms, p99 %.2f ms), %,.0f batches/s%n",
        journal ? "journal" : "direct ", threads, durability, small ? "small" : "full", appended.sum(), secs,
        appended.sum() / secs, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, syncs / secs);
    System.out.printf("  fsyncs/s %,.0f: journal %,.0f, segment %,.0f, checkpoints %,.0f%n",
        (journalForces + segmentForces + checkpointForces) / secs, journalForces / secs, segmentForces / secs,
        checkpointForces / secs);
    System.out.printf("  per sync(): %.0f us wall, %.1f us CPU; per write(): %.1f us CPU; per checkpoint: %.0f us"
            + " wall, %.0f us CPU%n",
        (s1.syncWall - s0.syncWall) / 1e3 / syncs, (s1.syncCpu - s0.syncCpu) / 1e3 / syncs,
        (s1.writeCpu - s0.writeCpu) / 1e3 / syncs,
        (s1.checkpointWall - s0.checkpointWall) / 1e3 / Math.max(1, s1.checkpoints - s0.checkpoints),
        (s1.checkpointCpu - s0.checkpointCpu) / 1e3 / Math.max(1, s1.checkpoints - s0.checkpoints));
    System.out.printf("  writer thread CPU %.1f%% of a core (%.0f us per batch, of which sync() %.0f%%);"
            + " process CPU %.1f us per append%n",
        (s1.writerCpu - s0.writerCpu) / 1e7 / secs, (s1.writerCpu - s0.writerCpu) / 1e3 / syncs,
        100.0 * (s1.syncCpu - s0.syncCpu) / Math.max(1, s1.writerCpu - s0.writerCpu),
        (s1.processCpu - s0.processCpu) / 1e3 / appended.sum());
  }

  private record Snapshot(long syncs, long syncWall, long syncCpu, long writeCpu, long checkpoints,
      long checkpointWall, long checkpointCpu, long journalForces, long segmentForces, long checkpointForces,
      long writerCpu, long processCpu) {}

  /** The segment file store, timing what the writer thread spends in it. */
  private static final class MeasuredStore extends ForwardingStore {
    private volatile long writerThreadId = -1;
    private volatile long syncs;
    private volatile long syncWall;
    private volatile long syncCpu;
    private volatile long writeCpu;
    private volatile long checkpoints;
    private volatile long checkpointWall;
    private volatile long checkpointCpu;

    MeasuredStore(SegmentFileStore real) {
      super(real);
    }

    Snapshot snapshot() {
      long writer = writerThreadId < 0 ? 0 : THREADS.getThreadCpuTime(writerThreadId);
      long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
      return new Snapshot(syncs, syncWall, syncCpu, writeCpu, checkpoints, checkpointWall, checkpointCpu,
          real.journalForces(), real.segmentForces(), real.checkpointForces(), writer, process);
    }

    @Override
    public void write(List<byte[]> lines) throws IOException {
      writerThreadId = Thread.currentThread().threadId();
      long c0 = THREADS.getCurrentThreadCpuTime();
      real.write(lines);
      writeCpu += THREADS.getCurrentThreadCpuTime() - c0;
    }

    @Override
    public void sync() throws IOException {
      long c0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      real.sync();
      syncWall += System.nanoTime() - t0;
      syncCpu += THREADS.getCurrentThreadCpuTime() - c0;
      syncs++;
    }

    @Override
    public void writeCheckpoint(byte[] line) throws IOException {
      long c0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      real.writeCheckpoint(line);
      checkpointWall += System.nanoTime() - t0;
      checkpointCpu += THREADS.getCurrentThreadCpuTime() - c0;
      checkpoints++;
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
