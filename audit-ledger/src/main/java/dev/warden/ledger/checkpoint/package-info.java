/** Ed25519-signed checkpoints and the keys that sign and verify them (rotation by key id). */
@NullMarked
package dev.warden.ledger.checkpoint;

import org.jspecify.annotations.NullMarked;
