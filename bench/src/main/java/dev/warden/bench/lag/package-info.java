/**
 * Meters that attribute a stall: an event loop's own lag ({@link dev.warden.bench.lag.LoopLagMeter}, used by the
 * load generator and the fake upstream) and a machine hiccup meter ({@link dev.warden.bench.lag.HiccupMeter}).
 * When a target's latency spikes, these say whether the harness or the machine stalled at the same moment.
 */
package dev.warden.bench.lag;
