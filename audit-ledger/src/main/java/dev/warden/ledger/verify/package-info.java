/** Offline verification: {@link dev.warden.ledger.verify.LedgerVerifier} for programs, {@link dev.warden.ledger.verify.VerifyCommand} for auditors' shells. */
@NullMarked
package dev.warden.ledger.verify;

import org.jspecify.annotations.NullMarked;
