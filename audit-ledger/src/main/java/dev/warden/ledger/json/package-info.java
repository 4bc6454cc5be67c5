/** RFC 8785 canonical JSON writing, strict JSON reading and the ledger's RFC 3339 timestamps; our own so the verifier needs nothing but the JDK. */
@NullMarked
package dev.warden.ledger.json;

import org.jspecify.annotations.NullMarked;
