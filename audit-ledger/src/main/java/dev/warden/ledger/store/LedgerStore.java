package dev.warden.ledger.store;

import java.io.IOException;
import java.util.List;

/**
 * Where a ledger's lines live: appends batches durably and reads them back in order.
 *
 * <p>The ledger calls the writing methods from its single writer thread only, in this order: {@link #open} once,
 * then any number of {@link #write} each followed by {@link #sync} (and sometimes {@link #writeCheckpoint}), then
 * {@link #close}. Once a method has thrown, the ledger fails closed and calls nothing but {@link #close}; an
 * implementation must not retry a failed sync behind the ledger's back.
 *
 * <p>Adding a store is adding one class: {@link SegmentFileStore} (the default), {@code KafkaLedgerStore}.
 */
public interface LedgerStore extends AutoCloseable {

  /**
   * Prepares to append to {@code chain}, repairing what a crash can leave behind (a torn trailing line that was
   * never acknowledged) and saying what it repaired.
   */
  Recovery open(String chain) throws IOException;

  /** Appends entry lines (canonical JSON, no newline) after those already stored; durable only after {@link #sync}. */
  void write(List<byte[]> lines) throws IOException;

  /** Makes everything written so far durable: fsync for files, {@code acks=all} for Kafka. */
  void sync() throws IOException;

  /** Appends a signed checkpoint line after the entries it covers; durable when this returns. */
  void writeCheckpoint(byte[] line) throws IOException;

  /** Reads back every entry line of {@code chain} in append order. */
  void readEntries(String chain, LineSink sink) throws IOException;

  /** Reads back every checkpoint line of {@code chain} in append order. */
  void readCheckpoints(String chain, LineSink sink) throws IOException;

  @Override
  void close() throws IOException;

  /** Receives lines; {@code buf[off, off+len)} is valid only during the call. */
  @FunctionalInterface
  interface LineSink {
    void line(byte[] buf, int off, int len) throws IOException;
  }

  /** What {@link #open} repaired, in sentences for the log; empty when the store was clean. */
  record Recovery(List<String> repairs) {
    public Recovery {
      repairs = List.copyOf(repairs);
    }

    public static Recovery clean() {
      return new Recovery(List.of());
    }
  }
}
