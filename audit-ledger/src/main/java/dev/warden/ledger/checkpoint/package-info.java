@NullMarked
package dev.warden.ledger.checkpoint;

import org.jspecify.annotations.NullMarked;
