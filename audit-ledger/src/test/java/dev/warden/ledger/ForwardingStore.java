package dev.warden.ledger;

import dev.warden.ledger.store.LedgerStore;
import dev.warden.ledger.store.SegmentFileStore;
import java.io.IOException;
import java.util.List;

/**
 * A segment file store that passes every call through: tests and benchmarks extend it and override only the calls
 * they fail or measure.
 */
public abstract class ForwardingStore implements LedgerStore {
  protected final SegmentFileStore real;

  protected ForwardingStore(SegmentFileStore real) {
    this.real = real;
  }

  @Override
  public Recovery open(String chain) throws IOException {
    return real.open(chain);
  }

  @Override
  public void write(List<byte[]> lines) throws IOException {
    real.write(lines);
  }

  @Override
  public void sync() throws IOException {
    real.sync();
  }

  @Override
  public void writeCheckpoint(byte[] line) throws IOException {
    real.writeCheckpoint(line);
  }

  @Override
  public void readEntries(String chain, LineSink sink) throws IOException {
    real.readEntries(chain, sink);
  }

  @Override
  public void readCheckpoints(String chain, LineSink sink) throws IOException {
    real.readCheckpoints(chain, sink);
  }

  @Override
  public void close() throws IOException {
    real.close();
  }
}
