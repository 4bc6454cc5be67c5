package dev.warden.gateway.governance;

import dev.warden.gateway.pipeline.Attribute;

/** What a request cost, once settled: for the ledger's response entry and the metrics. */
public record Charge(long costNanos, boolean estimated) {
    public static final Attribute<Charge> ATTRIBUTE = Attribute.of("charge", Charge.class);
}
