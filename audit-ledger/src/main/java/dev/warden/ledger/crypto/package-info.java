@NullMarked
package dev.warden.ledger.crypto;

import org.jspecify.annotations.NullMarked;
