package dev.warden.gateway.tracing;

import static dev.warden.gateway.tracing.TraceAttributes.ATTEMPT;
import static dev.warden.gateway.tracing.TraceAttributes.ERROR_TYPE;
import static dev.warden.gateway.tracing.TraceAttributes.FALLBACK_REASON;
import static dev.warden.gateway.tracing.TraceAttributes.PROVIDER;
import static dev.warden.gateway.tracing.TraceAttributes.PROVIDER_KEY_ID;
import static dev.warden.gateway.tracing.TraceAttributes.PROVIDER_TYPE;
import static dev.warden.gateway.tracing.TraceAttributes.RELAYED;
import static dev.warden.gateway.tracing.TraceAttributes.ROUTE;
import static dev.warden.gateway.tracing.TraceAttributes.SERVER_ADDRESS;
import static dev.warden.gateway.tracing.TraceAttributes.SERVER_PORT;
import static dev.warden.gateway.tracing.TraceAttributes.STATUS;
import static dev.warden.gateway.tracing.TraceAttributes.STREAM_COMPLETE;
import static dev.warden.gateway.tracing.TraceAttributes.STREAM_EVENTS;
import static dev.warden.gateway.tracing.TraceAttributes.TRACE_PROPAGATED;
import static dev.warden.gateway.tracing.TraceAttributes.UPSTREAM_MODEL;

import dev.warden.gateway.metrics.GatewayMetrics;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.providers.ProviderEndpoint;
import dev.warden.gateway.providers.UpstreamCall;
import dev.warden.gateway.providers.UpstreamException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One attempt at one provider credential. It times the attempt (to the end of the answer, the last event of a
 * stream), the time to the first event of a stream, and, when the request is traced, makes a client span that says
 * which provider, credential id and hop it was, how it ended and why the router moved on.
 *
 * <p>Trace context goes to a provider only if the provider opted in with {@code options.propagate-trace: "true"}:
 * by default no trace id leaves for a third party. When it does, it is W3C {@code traceparent}/{@code tracestate}
 * of this attempt's span, never the caller's baggage.
 */
public final class UpstreamAttempt {
    /** The provider option that lets trace context reach the provider. */
    public static final String PROPAGATE_OPTION = "propagate-trace";

    private final @Nullable Span span;
    private final @Nullable GatewayMetrics metrics;
    private final String route;
    private final ProviderEndpoint endpoint;

    UpstreamAttempt(@Nullable Tracer tracer, @Nullable GatewayMetrics metrics, String route, ProviderEndpoint endpoint,
                    String credentialId, String upstreamModel, int number) {
        this.metrics = metrics;
        this.route = route;
        this.endpoint = endpoint;
        this.span = tracer == null ? null : start(tracer, endpoint, credentialId, route, upstreamModel, number);
    }

    private static Span start(Tracer tracer, ProviderEndpoint endpoint, String credentialId, String route,
                              String upstreamModel, int number) {
        var builder = tracer.spanBuilder("upstream " + endpoint.name()).setSpanKind(SpanKind.CLIENT)
                .setAttribute(PROVIDER, endpoint.name())
                .setAttribute(PROVIDER_TYPE, endpoint.type())
                .setAttribute(PROVIDER_KEY_ID, credentialId)
                .setAttribute(ROUTE, route)
                .setAttribute(UPSTREAM_MODEL, upstreamModel)
                .setAttribute(ATTEMPT, (long) number);
        URI base = endpoint.baseUrl();
        if (base != null && base.getHost() != null) {
            // Host and port only: a URL may carry a key in its query (Gemini's ?key=) or its user info.
            builder.setAttribute(SERVER_ADDRESS, base.getHost());
            if (base.getPort() > 0) {
                builder.setAttribute(SERVER_PORT, (long) base.getPort());
            }
        }
        return builder.startSpan();
    }

    /** The headers to forward, with this attempt's trace context added if the provider opted in. */
    public Map<String, String> forwardHeaders(Map<String, String> forward) {
        if (span == null || !"true".equalsIgnoreCase(endpoint.option(PROPAGATE_OPTION))) {
            return forward;
        }
        Map<String, String> headers = new LinkedHashMap<>(forward);
        W3CTraceContextPropagator.getInstance().inject(Context.current().with(span), headers,
                (carrier, name, value) -> carrier.put(name, value));
        span.setAttribute(TRACE_PROPAGATED, true);
        return headers;
    }

    /**
     * Sends the call through the adapter and watches how it ends; returns the adapter's reply (a stream wrapped to
     * see its end) or throws what the adapter threw.
     */
    public Reply send(ProviderAdapter adapter, UpstreamCall call) throws UpstreamException {
        long sent = System.nanoTime();
        Reply reply;
        try (Scope scope = span == null ? Scope.noop() : span.makeCurrent()) {
            reply = adapter.send(call);
        } catch (UpstreamException e) {
            failed(e, sent);
            throw e;
        } catch (RuntimeException e) {
            record(false, sent);
            if (span != null) {
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(ERROR_TYPE, e.getClass().getName());
                span.end();
            }
            throw e;
        }
        return switch (reply) {
            case Reply.Json json -> {
                record(true, sent);
                if (span != null) {
                    span.setAttribute(STATUS, (long) json.status());
                    span.end();
                }
                yield json;
            }
            case Reply.Stream stream -> {
                // Adapters read the first event before they answer (so a dead stream can fail over): it is here.
                if (metrics != null) {
                    metrics.timeToFirstToken(endpoint.name(), route, System.nanoTime() - sent);
                }
                if (span != null) {
                    span.setAttribute(STATUS, 200L);
                    span.addEvent("first event");
                }
                yield new Reply.Stream(new ObservedStream(stream.events(), new StreamEnd(sent)), stream.headers());
            }
        };
    }

    private void failed(UpstreamException e, long sent) {
        record(false, sent);
        if (span == null) {
            return;
        }
        span.setStatus(StatusCode.ERROR);
        if (e.status() > 0) {
            span.setAttribute(STATUS, (long) e.status());
        }
        span.setAttribute(ERROR_TYPE, e.failure() == UpstreamException.Failure.STATUS ? Integer.toString(e.status())
                : e.failure().name().toLowerCase(Locale.ROOT));
        String reason = fallbackReason(e);
        if (reason != null) {
            span.setAttribute(FALLBACK_REASON, reason);
        } else {
            span.setAttribute(RELAYED, true);
        }
        span.end();
    }

    /**
     * Why the router tries another credential or target after this failure (the router's own rules), or null when
     * it does not: the provider judged the request itself, and the caller gets that answer.
     */
    static @Nullable String fallbackReason(UpstreamException e) {
        if (e.credentialRejected()) {
            return "credential_rejected";
        }
        if (e.failure() == UpstreamException.Failure.STATUS && e.status() == 429) {
            return "rate_limited";
        }
        if (!e.retryable()) {
            return null;
        }
        return switch (e.failure()) {
            case STATUS -> "upstream_status";
            case TIMEOUT -> "timeout";
            case CONNECT -> "connect";
            case PROTOCOL -> "protocol";
        };
    }

    private void record(boolean answered, long sent) {
        if (metrics != null) {
            metrics.upstream(endpoint.name(), route, answered, System.nanoTime() - sent);
        }
    }

    /** Ends the attempt when its stream is closed: latency to the last event, and the span. */
    private final class StreamEnd implements ObservedStream.Watcher {
        private final long sent;
        private boolean failed;

        StreamEnd(long sent) {
            this.sent = sent;
        }

        @Override
        public void failed(Exception failure) {
            failed = true;
            if (span != null) {
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(ERROR_TYPE, "stream_broken");
            }
        }

        @Override
        public void closed(long events, boolean complete) {
            record(!failed, sent);
            if (span != null) {
                span.setAttribute(STREAM_EVENTS, events);
                span.setAttribute(STREAM_COMPLETE, complete);
                span.end();
            }
        }
    }
}
