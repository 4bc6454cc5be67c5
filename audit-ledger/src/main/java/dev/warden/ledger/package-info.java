/** The audit ledger: {@link dev.warden.ledger.Ledger} appends hash-chained canonical JSON entries with group commit and signed checkpoints; {@link dev.warden.ledger.LedgerReader} reads them back. Format and rules: {@code audit-ledger/README.md}. */
@NullMarked
package dev.warden.ledger;

import org.jspecify.annotations.NullMarked;
