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
   * A pacer that keeps verification to {@code share} of one core's time: after each burst of about
   * {@value SharePacer#BURST_MILLIS} ms of work it sleeps long enough that work is {@code share} of the wall time.
   * Wall time, not CPU time, is measured, so time the thread spends preempted counts as work and the pacer only errs
   * toward yielding more.
   *
   * @param share of one core, in (0, 1]; 1 never sleeps
   */
  static Pacer cpuShare(double share) {
    return new SharePacer(share, System::nanoTime, SharePacer::sleep);
  }
}
