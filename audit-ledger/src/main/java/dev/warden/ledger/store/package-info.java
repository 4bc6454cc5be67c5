@NullMarked
package dev.warden.ledger.store;

import org.jspecify.annotations.NullMarked;
