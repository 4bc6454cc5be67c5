/**
 * Searching a ledger directory for the admin console: {@link dev.warden.ledger.query.LedgerSearch} finds entries by
 * who, which model, which kind and when, newest first and a page at a time, and shows one entry with the signed
 * checkpoint that covers it and the Merkle proof of that. Reads files only, never the whole ledger into memory, and
 * is safe beside a {@link dev.warden.ledger.Ledger} appending to the same directory.
 */
@NullMarked
package dev.warden.ledger.query;

import org.jspecify.annotations.NullMarked;
