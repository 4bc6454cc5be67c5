@NullMarked
package dev.warden.ledger.json;

import org.jspecify.annotations.NullMarked;
