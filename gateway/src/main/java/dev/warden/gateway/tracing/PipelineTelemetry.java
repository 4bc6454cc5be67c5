package dev.warden.gateway.tracing;

import static dev.warden.gateway.tracing.TraceAttributes.ATTEMPTS;
import static dev.warden.gateway.tracing.TraceAttributes.CACHED_TOKENS;
import static dev.warden.gateway.tracing.TraceAttributes.COST_ESTIMATED;
import static dev.warden.gateway.tracing.TraceAttributes.COST_USD;
import static dev.warden.gateway.tracing.TraceAttributes.CUSTOMER_ID;
import static dev.warden.gateway.tracing.TraceAttributes.ERROR_TYPE;
import static dev.warden.gateway.tracing.TraceAttributes.FELL_BACK;
import static dev.warden.gateway.tracing.TraceAttributes.INPUT_TOKENS;
import static dev.warden.gateway.tracing.TraceAttributes.KEY_ID;
import static dev.warden.gateway.tracing.TraceAttributes.OUTPUT_TOKENS;
import static dev.warden.gateway.tracing.TraceAttributes.PROVIDER;
import static dev.warden.gateway.tracing.TraceAttributes.REASONING_TOKENS;
import static dev.warden.gateway.tracing.TraceAttributes.REQUEST_ID;
import static dev.warden.gateway.tracing.TraceAttributes.REQUEST_MODEL;
import static dev.warden.gateway.tracing.TraceAttributes.STAGE;
import static dev.warden.gateway.tracing.TraceAttributes.STATUS;
import static dev.warden.gateway.tracing.TraceAttributes.STREAM;
import static dev.warden.gateway.tracing.TraceAttributes.STREAM_COMPLETE;
import static dev.warden.gateway.tracing.TraceAttributes.STREAM_EVENTS;
import static dev.warden.gateway.tracing.TraceAttributes.SURFACE;
import static dev.warden.gateway.tracing.TraceAttributes.TEAM_ID;
import static dev.warden.gateway.tracing.TraceAttributes.UPSTREAM_MODEL;
import static java.util.Objects.requireNonNull;

import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.governance.Charge;
import dev.warden.gateway.governance.Money;
import dev.warden.gateway.metrics.GatewayMetrics;
import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Inbound;
import dev.warden.gateway.pipeline.Pipeline;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Stage;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.routing.RouteResult;
import dev.warden.gateway.surface.CanonicalRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Watches every request through the pipeline. Always: counts failures by class ({@link GatewayMetrics#error}),
 * before the answer and in the middle of a stream, and hands the router its {@link UpstreamTelemetry}. When the
 * request is traced: a span for the request, a child span per stage named after the stage and nested as the chain
 * nests, each ended when its part of the answer is done, which for a stream is when the stream is closed, after the
 * last event.
 *
 * <p>The request span is a child of the HTTP server span (which honours the caller's W3C {@code traceparent}); run
 * without one, it becomes the server span itself, continuing the caller's trace from the request headers.
 */
public final class PipelineTelemetry implements Pipeline.Observer {
    private static final TextMapGetter<Inbound> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Inbound carrier) {
            return carrier.headers().keySet();
        }

        @Override
        public @Nullable String get(@Nullable Inbound carrier, String key) {
            return carrier == null ? null : carrier.header(key.toLowerCase(Locale.ROOT));
        }
    };

    private final Tracing tracing;
    private final TextMapPropagator propagator;
    private final GatewayMetrics metrics;
    private final UpstreamTelemetry upstream;

    public PipelineTelemetry(Tracing tracing, TextMapPropagator propagator, GatewayMetrics metrics,
                             UpstreamTelemetry upstream) {
        this.tracing = requireNonNull(tracing, "tracing");
        this.propagator = requireNonNull(propagator, "propagator");
        this.metrics = requireNonNull(metrics, "metrics");
        this.upstream = requireNonNull(upstream, "upstream");
    }

    @Override
    public Pipeline.Observation begin(Exchange exchange) {
        exchange.put(UpstreamTelemetry.ATTRIBUTE, upstream);
        Tracer tracer = tracing.tracer();
        if (tracer == null) {
            return new Counted(exchange);
        }
        Context parent = Context.current();
        SpanKind kind = SpanKind.INTERNAL;
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            parent = propagator.extract(Context.root(), exchange.inbound(), HEADERS);
            kind = SpanKind.SERVER;
        }
        Span span = tracer.spanBuilder("warden " + exchange.surface().label()).setParent(parent).setSpanKind(kind)
                .setAttribute(REQUEST_ID, exchange.inbound().requestId())
                .setAttribute(SURFACE, exchange.surface().label())
                .startSpan();
        if (!span.isRecording()) {
            // Not sampled: the request runs exactly as untraced (no stage spans), counted all the same.
            return new Counted(exchange);
        }
        return new Traced(exchange, tracer, span);
    }

    /** Counts failures; the untraced path, so it allocates nothing per stage. */
    private class Counted implements Pipeline.Observation {
        final Exchange exchange;

        Counted(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public Reply run(Supplier<Reply> pipeline) {
            Reply reply;
            try {
                reply = pipeline.get();
            } catch (RuntimeException | Error e) {
                failed(e);
                throw e;
            }
            return switch (reply) {
                case Reply.Json json -> {
                    answered(json);
                    yield json;
                }
                case Reply.Stream stream -> new Reply.Stream(new ObservedStream(stream.events(), new StreamEnd()),
                        stream.headers());
            };
        }

        @Override
        public boolean watchesStages() {
            return false;
        }

        @Override
        public Reply stage(Stage stage, Exchange exchange, Supplier<Reply> handle) {
            return handle.get();
        }

        void failed(Throwable failure) {
            ErrorKind kind = kindOf(failure);
            int status = failure instanceof GatewayException e ? e.status() : kind.status();
            metrics.error(exchange.surface().label(), kind, status, false);
        }

        void answered(Reply.Json json) {
            if (json.status() >= 400) {
                // An error answered as a reply rather than thrown (see Reply): its kind is not known here.
                metrics.error(exchange.surface().label(), null, json.status(), false);
            }
        }

        void streamFailed(Exception failure) {
            ErrorKind kind = failure instanceof GatewayException e ? e.kind() : ErrorKind.BAD_GATEWAY;
            metrics.error(exchange.surface().label(), kind, kind.status(), true);
        }

        void streamClosed(long events, boolean complete) {
        }

        private final class StreamEnd implements ObservedStream.Watcher {
            @Override
            public void failed(Exception failure) {
                streamFailed(failure);
            }

            @Override
            public void closed(long events, boolean complete) {
                streamClosed(events, complete);
            }
        }
    }

    /** Counts failures and makes the request's spans. */
    private final class Traced extends Counted {
        private final Tracer tracer;
        private final Span span;
        /** The failure last marked on a stage span, so only the stage it came from is marked, not every enclosing one. */
        private @Nullable Throwable marked;

        Traced(Exchange exchange, Tracer tracer, Span span) {
            super(exchange);
            this.tracer = tracer;
            this.span = span;
        }

        @Override
        public Reply run(Supplier<Reply> pipeline) {
            Reply reply;
            try (Scope scope = span.makeCurrent()) {
                reply = super.run(pipeline);
            } catch (RuntimeException | Error e) {
                describe(span, exchange);
                fail(span, e);
                span.end();
                throw e;
            }
            if (reply instanceof Reply.Json json) {
                span.setAttribute(STATUS, (long) json.status());
                describe(span, exchange);
                span.end();
            } else {
                span.setAttribute(STATUS, 200L);
                span.addEvent("answer started");
            }
            return reply;
        }

        @Override
        public boolean watchesStages() {
            return true;
        }

        @Override
        public Reply stage(Stage stage, Exchange exchange, Supplier<Reply> handle) {
            String name = Pipeline.name(stage);
            Span stageSpan = tracer.spanBuilder(name).setAttribute(STAGE, name).startSpan();
            Reply reply;
            try (Scope scope = stageSpan.makeCurrent()) {
                reply = handle.get();
            } catch (RuntimeException | Error e) {
                if (marked != e) {
                    marked = e;
                    fail(stageSpan, e);
                }
                stageSpan.end();
                throw e;
            }
            return switch (reply) {
                case Reply.Json json -> {
                    stageSpan.end();
                    yield json;
                }
                case Reply.Stream stream -> {
                    stageSpan.addEvent("answer started");
                    yield new Reply.Stream(new ObservedStream(stream.events(), new StageStreamEnd(stageSpan)),
                            stream.headers());
                }
            };
        }

        @Override
        void streamFailed(Exception failure) {
            super.streamFailed(failure);
            fail(span, failure);
        }

        @Override
        void streamClosed(long events, boolean complete) {
            span.setAttribute(STREAM_EVENTS, events);
            span.setAttribute(STREAM_COMPLETE, complete);
            describe(span, exchange);
            span.end();
        }

        private final class StageStreamEnd implements ObservedStream.Watcher {
            private final Span stageSpan;

            StageStreamEnd(Span stageSpan) {
                this.stageSpan = stageSpan;
            }

            @Override
            public void failed(Exception failure) {
                if (marked != failure) {
                    marked = failure;
                    fail(stageSpan, failure);
                }
            }

            @Override
            public void closed(long events, boolean complete) {
                stageSpan.end();
            }
        }
    }

    private static ErrorKind kindOf(Throwable failure) {
        return failure instanceof GatewayException e ? e.kind() : ErrorKind.INTERNAL;
    }

    /** Marks a span failed with the error's class only: messages may quote the request. */
    private static void fail(Span span, Throwable failure) {
        span.setStatus(StatusCode.ERROR);
        span.setAttribute(ERROR_TYPE, failure instanceof GatewayException e ? e.kind().code()
                : failure.getClass().getName());
        if (failure instanceof GatewayException e) {
            span.setAttribute(STATUS, (long) e.status());
        }
    }

    /** What the stages found out about the request: who asked, for what, where it went, what it used. */
    private static void describe(Span span, Exchange exchange) {
        VirtualKey key = exchange.find(VirtualKey.ATTRIBUTE);
        if (key != null) {
            span.setAttribute(KEY_ID, key.id());
            if (key.teamId() != null) {
                span.setAttribute(TEAM_ID, key.teamId());
            }
            if (key.customerId() != null) {
                span.setAttribute(CUSTOMER_ID, key.customerId());
            }
        }
        CanonicalRequest request = exchange.find(CanonicalRequest.ATTRIBUTE);
        if (request != null) {
            span.setAttribute(REQUEST_MODEL, request.model());
            span.setAttribute(STREAM, request.stream());
        }
        RouteResult route = exchange.find(RouteResult.ATTRIBUTE);
        if (route != null) {
            span.setAttribute(PROVIDER, route.provider());
            span.setAttribute(UPSTREAM_MODEL, route.model());
            span.setAttribute(ATTEMPTS, (long) route.attempts());
            span.setAttribute(FELL_BACK, route.fellBack());
        }
        Usage usage = exchange.find(Usage.ATTRIBUTE);
        if (usage != null) {
            span.setAttribute(INPUT_TOKENS, usage.inputTokens());
            span.setAttribute(OUTPUT_TOKENS, usage.outputTokens());
            span.setAttribute(CACHED_TOKENS, usage.cachedInputTokens());
            span.setAttribute(REASONING_TOKENS, usage.reasoningTokens());
        }
        Charge charge = exchange.find(Charge.ATTRIBUTE);
        if (charge != null) {
            span.setAttribute(COST_USD, Money.usd(charge.costNanos()).doubleValue());
            span.setAttribute(COST_ESTIMATED, charge.estimated());
        }
    }
}
