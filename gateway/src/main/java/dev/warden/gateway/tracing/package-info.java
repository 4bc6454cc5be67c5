/**
 * Traces of requests through the gateway (OpenTelemetry, exported over OTLP when an endpoint is configured): a span
 * for the request, one per pipeline stage nested as the chain nests, and a client span per upstream attempt; plus the
 * per-request meters that need the same vantage points (errors by class, upstream latency, time to first token).
 * Spans carry ids and configured names, never prompt text, keys or secrets.
 */
@NullMarked
package dev.warden.gateway.tracing;

import org.jspecify.annotations.NullMarked;
