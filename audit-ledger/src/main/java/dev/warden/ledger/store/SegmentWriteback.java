package dev.warden.ledger.store;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Writes a journaled segment back to disk in the background, so that the writer's own segment fdatasync (before a
 * checkpoint line, at a roll, when the journal is full) finds little left to do.
 *
 * <p>With the write-ahead journal a batch is durable once the journal is fdatasync'd; its segment bytes stay in the
 * page cache until the segment is next fdatasync'd, which the writer did only before each checkpoint line. At
 * 5,000 req/s that was 2-5 MB of dirty pages twice a second, a 2-6 ms stall of the writer while requests queued
 * behind it (ADR 0003, "Measured in the gateway"). Here, once {@link #THRESHOLD_BYTES} have been written since the
 * last request, a daemon thread fdatasyncs the segment while the writer goes on; the writer's own fdatasync then
 * covers only what arrived since.
 *
 * <p>The background fdatasync only makes durable earlier what the journal already holds, so it changes nothing in
 * what a crash leaves or in recovery. Its failure does matter: on Linux an fdatasync that fails reports the error to
 * one caller only, so a later fdatasync of the same file by the writer could succeed over pages that never reached
 * the disk. A failure is therefore kept and thrown at the writer's next {@link #force}, {@link #check} or sync,
 * failing the ledger closed. Segment fdatasyncs of both threads take one lock, so the writer's sees the outcome of
 * a background one that was in flight.
 */
final class SegmentWriteback implements AutoCloseable {
  /**
   * Dirty segment bytes that start a background fdatasync: at 5,000 req/s (~5.5 MB/s of entries) about twenty a
   * second, each a few hundred microseconds, against the journal's thousands.
   */
  static final long THRESHOLD_BYTES = 256 << 10;

  /** How one fdatasync is done; a test injects failures here. */
  @FunctionalInterface
  interface Force {
    void force(FileChannel channel) throws IOException;
  }

  private final Force force;
  private final ReentrantLock forcing = new ReentrantLock();
  private final Thread thread;
  // Taken with getAndSet, so a request made while the thread picks up the previous one is never cleared unseen.
  private final AtomicReference<@Nullable FileChannel> requested = new AtomicReference<>();
  private volatile boolean closed;
  private volatile @Nullable IOException failure;
  private volatile long forces;

  SegmentWriteback(String name) {
    this(name, channel -> channel.force(false));
  }

  SegmentWriteback(String name, Force force) {
    this.force = force;
    this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    thread.start();
  }

  /** Asks for a background fdatasync of {@code segment}; returns at once. Writer thread. */
  void request(FileChannel segment) {
    requested.set(segment);
    LockSupport.unpark(thread);
  }

  /**
   * fdatasyncs {@code segment} now, after any background fdatasync in flight, and throws if that or an earlier one
   * failed. Writer thread.
   */
  void force(FileChannel segment) throws IOException {
    forcing.lock();
    try {
      check();
      force.force(segment);
    } finally {
      forcing.unlock();
    }
  }

  /** Throws if a background fdatasync failed: the ledger must fail closed (see the class comment). */
  void check() throws IOException {
    IOException f = failure;
    if (f != null) {
      throw new IOException("a background fdatasync of the ledger segment failed: " + f.getMessage(), f);
    }
  }

  /** Background fdatasyncs done so far. */
  long forces() {
    return forces;
  }

  private void run() {
    while (!closed) {
      FileChannel ch = requested.getAndSet(null);
      if (ch == null) {
        LockSupport.park(this);
        continue;
      }
      forcing.lock();
      try {
        if (failure == null && ch.isOpen()) {
          force.force(ch);
          forces++;
        }
      } catch (ClosedChannelException e) {
        // The writer rolled to a new segment (and fdatasync'd this one itself first) or the store is closing.
      } catch (IOException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new IOException(e);
      } finally {
        forcing.unlock();
      }
    }
  }

  /** Stops the thread after a background fdatasync in flight; waits for it at most a few seconds. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
