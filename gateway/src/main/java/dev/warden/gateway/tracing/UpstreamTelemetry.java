package dev.warden.gateway.tracing;

import static java.util.Objects.requireNonNull;

import dev.warden.gateway.metrics.GatewayMetrics;
import dev.warden.gateway.pipeline.Attribute;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.providers.ProviderEndpoint;
import org.jspecify.annotations.Nullable;

/**
 * Watches the router's attempts at providers: a client span per attempt (when the request is traced) and the
 * upstream latency and time-to-first-token timers. The pipeline's observer puts it on every exchange, so the router
 * finds it with {@link #of(Exchange)} and needs no wiring of its own; an exchange run without the observer (a unit
 * test of one stage) gets {@link #NONE}.
 */
public final class UpstreamTelemetry {
    public static final Attribute<UpstreamTelemetry> ATTRIBUTE = Attribute.of("upstreamTelemetry",
            UpstreamTelemetry.class);
    /** Records nothing. */
    public static final UpstreamTelemetry NONE = new UpstreamTelemetry(Tracing.off(), null);

    private final Tracing tracing;
    private final @Nullable GatewayMetrics metrics;

    public UpstreamTelemetry(Tracing tracing, @Nullable GatewayMetrics metrics) {
        this.tracing = requireNonNull(tracing, "tracing");
        this.metrics = metrics;
    }

    public static UpstreamTelemetry of(Exchange exchange) {
        UpstreamTelemetry telemetry = exchange.find(ATTRIBUTE);
        return telemetry == null ? NONE : telemetry;
    }

    /**
     * Begins one attempt: {@code route} is the configured model name (a bounded metric label, unlike the name the
     * caller typed), {@code number} counts the hops of this request from 1.
     */
    public UpstreamAttempt attempt(String route, ProviderEndpoint endpoint, String credentialId, String upstreamModel,
                                   int number) {
        return new UpstreamAttempt(tracing.forCurrentTrace(), metrics, route, endpoint, credentialId, upstreamModel,
                number);
    }
}
