package dev.warden.ledger;

import java.time.Instant;

/**
 * Proof of a durable append: the entry's sequence number, the hex SHA-256 of its line (the next entry's
 * {@code prev}) and the time written into it.
 */
public record Appended(String chain, long seq, String hash, Instant time) {}
