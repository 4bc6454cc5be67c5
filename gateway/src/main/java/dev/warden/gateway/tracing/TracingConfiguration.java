package dev.warden.gateway.tracing;

import dev.warden.gateway.metrics.GatewayMetrics;
import dev.warden.gateway.pipeline.Pipeline;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.micrometer.tracing.autoconfigure.TracingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
     * Puts the telemetry on the pipeline that {@code GatewayPipeline} builds, so that class stays the one place that
     * says which stages run in which order, and observing them cannot change it.
     */
    @Bean
    static BeanPostProcessor observedPipeline(ObjectProvider<PipelineTelemetry> telemetry) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof Pipeline pipeline ? pipeline.observedBy(telemetry.getObject()) : bean;
            }
        };
    }
}
