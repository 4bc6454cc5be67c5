package dev.warden.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The gateway's own meters. Label values come from configuration (route and provider names) or small enums, never
 * from what a caller typed, so cardinality stays bounded.
 */
@Component
public class GatewayMetrics {
    private final MeterRegistry registry;
    private final Timer overhead;
    private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.overhead = Timer.builder("warden.gateway.overhead")
                .description("Time the gateway adds to a request: total time minus time waiting on providers")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
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

    /** Tokens by kind and cost, per provider and model route. */
    public void usage(String provider, String model, dev.warden.gateway.pipeline.Usage usage, long costNanos,
                      String keyId, String team) {
        counter("warden.tokens", "Tokens used", provider, model, "input").increment(usage.inputTokens());
        counter("warden.tokens", "Tokens used", provider, model, "output").increment(usage.outputTokens());
        counter("warden.tokens", "Tokens used", provider, model, "cached").increment(usage.cachedInputTokens());
        counter("warden.tokens", "Tokens used", provider, model, "reasoning").increment(usage.reasoningTokens());
        // Key and team ids are bounded by the admin API (not by callers), so they may label spend.
        counters.computeIfAbsent("cost|" + provider + '|' + model + '|' + keyId + '|' + team,
                k -> Counter.builder("warden.cost.usd").description("Spend in US dollars")
                        .tag("provider", provider).tag("model", model).tag("key", keyId).tag("team", team)
                        .register(registry)).increment(costNanos / 1e9);
    }

    private Counter counter(String name, String description, String provider, String model, String kind) {
        return counters.computeIfAbsent(name + '|' + provider + '|' + model + '|' + kind, k -> Counter.builder(name)
                .description(description).tag("provider", provider).tag("model", model).tag("kind", kind)
                .register(registry));
    }

    public void fallback(String provider, String model) {
        fallbacks.computeIfAbsent(provider + '|' + model, k -> Counter.builder("warden.fallbacks")
                .description("Requests served after at least one failed target or credential")
                .tag("provider", provider).tag("model", model).register(registry)).increment();
    }
}
