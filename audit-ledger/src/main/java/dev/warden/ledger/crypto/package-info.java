/** Hashing, keyed digests, per-subject encryption for erasure, and RFC 9162 Merkle trees. */
@NullMarked
package dev.warden.ledger.crypto;

import org.jspecify.annotations.NullMarked;
