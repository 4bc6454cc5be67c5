package dev.warden.ledger;

/** When {@link Ledger#append} returns relative to the disk. */
public enum Durability {
  /**
   * After the batch holding the entry was written and {@code force()}d (fsync), and replicated if a replica store
   * is set. The only mode that keeps "durable before dispatch"; the default.
   */
  FSYNC,
  /**
   * After the batch was written to the operating system, before fsync. Survives a process crash, not a power cut
   * or kernel panic. For benchmarks and throwaway environments; the fsync still follows and still fails closed.
   */
  RELAXED
}
