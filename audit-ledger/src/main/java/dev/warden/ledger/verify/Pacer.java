package dev.warden.ledger.verify;

/**
 * Paces a verification: {@link LedgerVerifier#verify(java.nio.file.Path, VerifyOptions)} calls {@link #entry()} once
 * per entry it checks, and a pacer may sleep there. A gateway verifying its own ledger in the background uses
 * {@link #cpuShare} so that reading the whole chain (minutes of one core on a large ledger) never takes the CPU its
 * requests need; the CLI and reports use {@link #NONE}.
 */
@FunctionalInterface
public interface Pacer {
  /** Never waits: verification runs as fast as the machine allows. */
  Pacer NONE = () -> {};

  /**
   * Called before each entry is checked. Throwing {@link InterruptedException} stops the verification, which then
   * throws {@link java.util.concurrent.CancellationException} with the thread's interrupt flag set.
   */
  void entry() throws InterruptedException;

  /**
   * A pacer that keeps verification to {@code share} of one core: after each burst of about
   * {@value SharePacer#BURST_MILLIS} ms of CPU time it sleeps long enough that its CPU time is {@code share} of the
   * wall time. The thread's own CPU time is measured, not wall time: a thread at low priority (the gateway runs it at
   * nice 19) spends most of a burst waiting for a core when the box is busy, and counting that wait as work made it
   * sleep for it too, so that at 2,000 req/s it got 1.3 % of a core instead of a quarter. CPU time is also what a
   * container's CPU quota counts. Where the JVM cannot measure thread CPU time, wall time is used.
   *
   * @param share of one core, in (0, 1]; 1 never sleeps
   */
  static Pacer cpuShare(double share) {
    return new SharePacer(share, SharePacer.threadCpuClock(), SharePacer::sleep);
  }
}
