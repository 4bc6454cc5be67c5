package dev.warden.gateway.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.Inbound;
import dev.warden.gateway.pipeline.Pipeline;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.testing.GatewayTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * With no OTLP endpoint configured (the default), nothing is exported and nothing is recorded: no span exporter, no
 * OTLP metrics push, a sampler that drops every trace, and requests that are observed only to be counted.
 */
class TracingOffTest extends GatewayTestSupport {
    @Autowired
    ApplicationContext context;
    @Autowired
    Sampler sampler;
    @Autowired
    Tracing tracing;
    @Autowired
    PipelineTelemetry telemetry;

    @Test
    void noEndpointMeansNoExporterAndNoConnectionAttempts() {
        assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty();
        assertThat(tracing.enabled()).isFalse();
        // Micrometer's OTLP registry would push to localhost:4318 every minute.
        for (MeterRegistry registry : context.getBeansOfType(MeterRegistry.class).values()) {
            List<MeterRegistry> registries = registry instanceof CompositeMeterRegistry composite
                    ? List.copyOf(composite.getRegistries()) : List.of(registry);
            assertThat(registries).noneMatch(r -> r.getClass().getSimpleName().startsWith("Otlp"));
        }
    }

    @Test
    void everyTraceIsDroppedSoNoSpanIsRecorded() {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        assertThat(sampler.shouldSample(Context.root(), traceId, "http post", SpanKind.SERVER, Attributes.empty(),
                List.of()).getDecision()).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void requestsAreObservedOnlyToBeCountedAndTheRouterStillFindsItsTelemetry() {
        Exchange exchange = new Exchange(new Inbound(Surface.CHAT_COMPLETIONS, "/v1/chat/completions", Map.of(),
                new byte[0], "127.0.0.1", "req_off"), System.nanoTime());

        Pipeline.Observation observation = telemetry.begin(exchange);

        assertThat(observation.watchesStages()).as("an untraced request gets no per-stage observation").isFalse();
        assertThat(UpstreamTelemetry.of(exchange)).isNotSameAs(UpstreamTelemetry.NONE);
    }
}
