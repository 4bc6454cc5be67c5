/** Replication of chains to a Kafka topic and reading them back; the only code that needs kafka-clients. */
@NullMarked
package dev.warden.ledger.kafka;

import org.jspecify.annotations.NullMarked;
