package dev.warden.ledger;

/**
 * Told of every group commit's fsync, on the ledger's writer thread: how many entries it made durable and how long the
 * store's sync took. The disk's fsync latency is the floor of what a durable append costs a caller, so operators want
 * to see it apart from the append latency that also includes the wait for the fsync before.
 *
 * <p>Must be quick and must not block: it runs between an fsync and the completion of the callers it made durable. An
 * exception it throws is logged and otherwise ignored; it never fails the ledger.
 */
@FunctionalInterface
public interface SyncObserver {
  /** An observer that does nothing. */
  SyncObserver NONE = (entries, syncNanos) -> {};

  /**
   * @param entries entries written since the previous sync and now durable (in relaxed durability: written and now
   *     forced, although acknowledged earlier); zero when only a checkpoint's prerequisites were forced
   * @param syncNanos how long the local store's sync took (the replica's, if any, is not included)
   */
  void synced(int entries, long syncNanos);
}
