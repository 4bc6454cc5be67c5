/** The {@link dev.warden.ledger.store.LedgerStore} SPI and the default segment file store. */
@NullMarked
package dev.warden.ledger.store;

import org.jspecify.annotations.NullMarked;
