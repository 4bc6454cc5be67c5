package dev.warden.gateway.metrics;

import dev.warden.gateway.http.InflightBodyBudget;
import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The gateway's own meters. Label values come from configuration (route and provider names), from the store (key and
 * team ids, which only administrators create) or small enums, never from what a caller typed, so cardinality stays
 * bounded.
 */
@Component
public class GatewayMetrics {
    private final MeterRegistry registry;
    private final Timer overhead;
    private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.overhead = Timer.builder("warden.gateway.overhead")
                .description("Time the gateway adds to a request: total time minus time waiting on providers")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }

    /** Request bodies held in memory, against their limit (warden.limits.inflight-body-limit). */
    public void inflightBodies(InflightBodyBudget budget) {
        Gauge.builder("warden.inflight.body.bytes", budget,
                        InflightBodyBudget::inUseBytes)
                .description("Request bodies held in memory by requests in flight").baseUnit("bytes")
                .register(registry);
        Gauge.builder("warden.inflight.body.limit.bytes", budget,
                        InflightBodyBudget::limitBytes)
                .description("Limit on the request bodies held in memory at once").baseUnit("bytes")
                .register(registry);
        FunctionCounter.builder("warden.inflight.answer.overdrafts", budget,
                        InflightBodyBudget::overdrafts)
                .description("Provider answers that found no room in the in-flight budget within the wait and "
                        + "were read anyway, overdrawing it")
                .register(registry);
    }

    public void overhead(long nanos) {
        overhead.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    public void request(String surface, int status, String provider, String model) {
        String key = surface + '|' + status + '|' + provider + '|' + model;
        requests.computeIfAbsent(key, k -> Counter.builder("warden.requests")
                .description("Requests by surface, HTTP status, provider and model route")
                .tag("surface", surface).tag("status", Integer.toString(status))
                .tag("provider", provider).tag("model", model)
                .register(registry)).increment();
    }

    /** Tokens by kind and cost, per provider and model route; cost also per key. */
    public void usage(String provider, String model, Usage usage, long costNanos, String keyId, String team) {
        tokens(provider, model, team, "input").increment(usage.inputTokens());
        tokens(provider, model, team, "output").increment(usage.outputTokens());
        tokens(provider, model, team, "cached").increment(usage.cachedInputTokens());
        tokens(provider, model, team, "reasoning").increment(usage.reasoningTokens());
        // Key and team ids are bounded by the admin API (not by callers), so they may label spend.
        counters.computeIfAbsent("cost|" + provider + '|' + model + '|' + keyId + '|' + team,
                k -> Counter.builder("warden.cost.usd").description("Spend in US dollars")
                        .tag("provider", provider).tag("model", model).tag("key", keyId).tag("team", team)
                        .register(registry)).increment(costNanos / 1e9);
    }

    private Counter tokens(String provider, String model, String team, String kind) {
        return counters.computeIfAbsent("tokens|" + provider + '|' + model + '|' + team + '|' + kind,
                k -> Counter.builder("warden.tokens").description("Tokens used")
                        .tag("provider", provider).tag("model", model).tag("team", team).tag("kind", kind)
                        .register(registry));
    }

    /**
     * A request that failed, by class: the HTTP status class the caller saw ({@code 4xx}, {@code 5xx}), the
     * {@link ErrorKind}, and whether it failed before the answer started or in the middle of a stream (where the
     * caller already has a 200 and gets the error as a protocol event). A null kind is an error answered as a reply
     * rather than thrown, whose kind is not known (label {@code unclassified}).
     */
    public void error(String surface, @Nullable ErrorKind kind, int status, boolean midStream) {
        String statusClass = status / 100 + "xx";
        String kindLabel = kind == null ? "unclassified" : kind.name().toLowerCase(Locale.ROOT);
        String phase = midStream ? "stream" : "request";
        counters.computeIfAbsent("error|" + surface + '|' + kindLabel + '|' + statusClass + '|' + phase,
                k -> Counter.builder("warden.errors")
                        .description("Failed requests by surface, error kind, status class and phase")
                        .tag("surface", surface).tag("kind", kindLabel).tag("status_class", statusClass)
                        .tag("phase", phase).register(registry)).increment();
    }

    /**
     * One attempt at a provider, from sending the request to the end of its answer (the last event of a stream):
     * {@code answered}, or failed (an error status, a timeout, a broken connection or stream).
     */
    public void upstream(String provider, String model, boolean answered, long nanos) {
        String outcome = answered ? "answered" : "failed";
        timers.computeIfAbsent("upstream|" + provider + '|' + model + '|' + outcome,
                k -> Timer.builder("warden.upstream.latency")
                        .description("Provider attempts, from sending the request to the end of the answer")
                        .tag("provider", provider).tag("model", model).tag("outcome", outcome)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(5))
                        .maximumExpectedValue(Duration.ofMinutes(10))
                        .register(registry)).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** A streamed answer's time to first token: from sending the request to the provider's first event. */
    public void timeToFirstToken(String provider, String model, long nanos) {
        timers.computeIfAbsent("ttft|" + provider + '|' + model,
                k -> Timer.builder("warden.upstream.time.to.first.token")
                        .description("Streamed answers, from sending the request to the provider's first event")
                        .tag("provider", provider).tag("model", model)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(5))
                        .maximumExpectedValue(Duration.ofMinutes(2))
                        .register(registry)).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    public void fallback(String provider, String model) {
        fallbacks.computeIfAbsent(provider + '|' + model, k -> Counter.builder("warden.fallbacks")
                .description("Requests served after at least one failed target or credential")
                .tag("provider", provider).tag("model", model).register(registry)).increment();
    }
}
