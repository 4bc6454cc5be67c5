package dev.warden.gateway.tracing;

import dev.warden.gateway.metrics.GatewayMetrics;
import io.micrometer.observation.ObservationPredicate;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Tracing is switched by one thing: an OTLP endpoint ({@code management.opentelemetry.tracing.export.otlp.endpoint}).
 * Spring Boot creates the OTLP exporter only when it is set; without an exporter, this configuration samples nothing
 * (so not even the HTTP server spans are recorded) and Warden makes no spans of its own. With one, traces are sampled
 * at {@code management.tracing.sampling.probability}, following the caller's sampling decision when its
 * {@code traceparent} carries one.
 */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {
    /** The instrumentation scope of Warden's spans. */
    static final String SCOPE = "dev.warden.gateway";

    /** Replaces Spring Boot's sampler, which would record spans even with nowhere to send them. */
    @Bean
    Sampler wardenSampler(ObjectProvider<SpanExporter> exporters, TracingProperties properties) {
        if (exporters.orderedStream().findAny().isEmpty()) {
            return Sampler.alwaysOff();
        }
        return Sampler.parentBased(Sampler.traceIdRatioBased(properties.getSampling().getProbability()));
    }

    @Bean
    Tracing wardenTracing(OpenTelemetry openTelemetry, ObjectProvider<SpanExporter> exporters) {
        return exporters.orderedStream().findAny().isPresent() ? Tracing.on(openTelemetry.getTracer(SCOPE))
                : Tracing.off();
    }

    @Bean
    UpstreamTelemetry upstreamTelemetry(Tracing tracing, GatewayMetrics metrics) {
        return new UpstreamTelemetry(tracing, metrics);
    }

    @Bean
    PipelineTelemetry pipelineTelemetry(Tracing tracing, ObjectProvider<ContextPropagators> propagators,
                                        GatewayMetrics metrics, UpstreamTelemetry upstream) {
        ContextPropagators configured = propagators.getIfAvailable(
                () -> ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
        return new PipelineTelemetry(tracing, configured.getTextMapPropagator(), metrics, upstream);
    }

    /**
     * Spring's own HTTP server observation is skipped on the LLM API paths: there Warden's request span is the server
     * span (continuing the caller's {@code traceparent}) and {@code warden_requests_total} and the overhead histogram
     * count the traffic, so Spring's copy would only add a second timer and its bookkeeping to every call. Admin,
     * console and actuator requests keep it.
     */
    @Bean
    ObservationPredicate llmPathsWithoutServletObservation() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && isLlmPath(server.getCarrier().getRequestURI()));
    }

    static boolean isLlmPath(String path) {
        return path.startsWith("/v1/") || path.startsWith("/openai/") || path.startsWith("/anthropic/");
    }
}
