package dev.warden.gateway.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.gateway.metrics.GatewayMetrics;
import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Inbound;
import dev.warden.gateway.pipeline.Pipeline;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Stage;
import dev.warden.gateway.pipeline.Surface;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipeline's telemetry on its own, with no HTTP server span around it (as when run outside Spring MVC). */
class PipelineTelemetryTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final Reply OK = new Reply.Json(200, "{}".getBytes(), Map.of());

    private final List<SpanData> ended = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
            .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> spans) {
                    ended.addAll(spans);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            }))
            .build();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final GatewayMetrics metrics = new GatewayMetrics(meters);
    private final PipelineTelemetry telemetry = new PipelineTelemetry(Tracing.on(provider.get("test")),
            W3CTraceContextPropagator.getInstance(), metrics, new UpstreamTelemetry(Tracing.off(), metrics));

    @AfterEach
    void close() {
        provider.close();
    }

    static final class Outer implements Stage {
        @Override
        public Reply handle(Exchange exchange, Chain chain) {
            return chain.proceed(exchange);
        }
    }

    static final class Terminal implements Stage {
        @Override
        public Reply handle(Exchange exchange, Chain chain) {
            return OK;
        }
    }

    private static Exchange exchange(String traceFlags) {
        return new Exchange(new Inbound(Surface.CHAT_COMPLETIONS, "/v1/chat/completions",
                Map.of("traceparent", List.of("00-" + TRACE + "-" + CALLER_SPAN + "-" + traceFlags)), new byte[0],
                "127.0.0.1", "req_1"), System.nanoTime());
    }

    private SpanData named(String name) {
        return ended.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + ended));
    }

    @Test
    void withoutAServerSpanTheRequestSpanIsTheServerSpanContinuingTheCallersTrace() {
        new Pipeline(List.of(new Outer(), new Terminal()), telemetry).execute(exchange("01"));

        SpanData request = named("warden chat.completions");
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getTraceId()).isEqualTo(TRACE);
        assertThat(request.getParentSpanId()).isEqualTo(CALLER_SPAN);
        SpanData outer = named("Outer");
        SpanData terminal = named("Terminal");
        assertThat(outer.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(terminal.getParentSpanId()).isEqualTo(outer.getSpanId());
        assertThat(ended).hasSize(3);
    }

    @Test
    void aCallerThatDoesNotSampleGetsNoSpansButIsStillCounted() {
        Stage refuse = (exchange, chain) -> {
            throw new GatewayException(ErrorKind.PERMISSION, "no");
        };

        assertThatThrownBy(() -> new Pipeline(List.of(new Outer(), refuse), telemetry).execute(exchange("00")))
                .isInstanceOf(GatewayException.class);

        assertThat(ended).isEmpty();
        assertThat(meters.get("warden.errors").tag("kind", "permission").tag("status_class", "4xx")
                .tag("phase", "request").counter().count()).isEqualTo(1);
    }
}
