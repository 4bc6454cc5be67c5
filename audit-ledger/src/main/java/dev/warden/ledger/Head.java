package dev.warden.ledger;

/**
 * The durable end of a chain: {@code size} entries, the last hashing to {@code hash} (the genesis value when the
 * chain is empty).
 */
public record Head(String chain, long size, String hash) {}
