package dev.warden.gateway.tracing;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import org.jspecify.annotations.Nullable;

/**
 * Whether Warden records its own spans, and the tracer it records them with. Tracing is on only when a span exporter
 * is configured (an OTLP endpoint): with nowhere to send spans, the gateway makes none, so a request pays nothing for
 * tracing beyond one check.
 */
public final class Tracing {
    private static final Tracing OFF = new Tracing(null);

    private final @Nullable Tracer tracer;

    private Tracing(@Nullable Tracer tracer) {
        this.tracer = tracer;
    }

    public static Tracing off() {
        return OFF;
    }

    public static Tracing on(Tracer tracer) {
        return new Tracing(requireNonNull(tracer, "tracer"));
    }

    public boolean enabled() {
        return tracer != null;
    }

    /**
     * The tracer, if the span now current is being recorded: a request whose trace was not sampled (by the caller's
     * {@code traceparent} or the sampling probability) gets no child spans at all.
     */
    @Nullable Tracer forCurrentTrace() {
        return tracer != null && Span.current().isRecording() ? tracer : null;
    }

    @Nullable Tracer tracer() {
        return tracer;
    }
}
