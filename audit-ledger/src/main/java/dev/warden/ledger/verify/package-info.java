@NullMarked
package dev.warden.ledger.verify;

import org.jspecify.annotations.NullMarked;
