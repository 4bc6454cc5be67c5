@NullMarked
package dev.warden.ledger.kafka;

import org.jspecify.annotations.NullMarked;
