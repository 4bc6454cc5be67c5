package dev.warden.ledger.verify;

import static java.util.Objects.requireNonNull;

/**
 * One record of a chain as a replica store keeps it: an entry line or a checkpoint line, in the order written
 * (one Kafka partition, say).
 */
public record ChainRecord(Type type, byte[] line) {
  public enum Type {
    ENTRY,
    CHECKPOINT
  }

  public ChainRecord {
    requireNonNull(type, "type");
    requireNonNull(line, "line");
  }
}
