package dev.warden.ledger;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process {@link CrashRecoveryTest} kills: appends from many virtual threads as fast as it can and prints
 * {@code ACK <seq> <hash>} for every append that returned, i.e. that the ledger acknowledged as durable.
 *
 * <p>Arguments: the ledger directory, the number of threads, and {@code journal} (a 64 KiB write-ahead journal, so
 * that it wraps often) or {@code direct} (no journal: every batch fdatasyncs its segment).
 */
public final class CrashChild {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    boolean journal = args.length < 3 || args[2].equals("journal");
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).chainId("crash").maxSegmentBytes(64 * 1024)
        .journal(journal).journalBytes(64 * 1024).build());
    synchronized (out) {
      out.println("READY " + ledger.head().size() + " " + ledger.recovery().repairs());
      out.flush();
    }
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread.ofVirtual().start(() -> {
        for (int i = 0; ; i++) {
          Appended a = ledger.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestId("t" + id + "-" + i)
              .attr("padding", "x".repeat(i % 300)).build());
          synchronized (out) {
            out.println("ACK " + a.seq() + " " + a.hash());
            out.flush();
          }
        }
      });
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
