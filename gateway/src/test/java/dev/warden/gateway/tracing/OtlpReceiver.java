package dev.warden.gateway.tracing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An OpenTelemetry collector's OTLP/HTTP trace endpoint in the test process: accepts {@code POST /v1/traces} with a
 * protobuf {@code ExportTraceServiceRequest}, as the gateway's real exporter sends it, and keeps the spans.
 */
final class OtlpReceiver implements AutoCloseable {
    /** A received span with the instrumentation scope it came from. */
    record Received(String scope, Span span) {
        String name() {
            return span.getName();
        }

        String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        String parentSpanId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        Span.SpanKind kind() {
            return span.getKind();
        }

        Map<String, AnyValue> attributes() {
            return span.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
        }

        String string(String key) {
            AnyValue value = attributes().get(key);
            return value == null ? null : value.getStringValue();
        }

        Long number(String key) {
            AnyValue value = attributes().get(key);
            return value == null ? null : value.getIntValue();
        }

        long startNanos() {
            return span.getStartTimeUnixNano();
        }

        long endNanos() {
            return span.getEndTimeUnixNano();
        }

        /** Every attribute and event value as text, to search for what must never be there. */
        String allValues() {
            StringBuilder text = new StringBuilder(span.getName());
            span.getAttributesList().forEach(kv -> text.append(' ').append(kv.getValue()));
            span.getEventsList().forEach(event -> {
                text.append(' ').append(event.getName());
                event.getAttributesList().forEach(kv -> text.append(' ').append(kv.getValue()));
            });
            text.append(' ').append(span.getStatus().getMessage());
            return text.toString();
        }
    }

    private final HttpServer server;
    private final List<Received> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/v1/traces", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<Received> spans() {
        return List.copyOf(spans);
    }

    List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    /** The spans of one trace, waiting until {@code complete} holds for them (the exporter sends in batches). */
    List<Received> trace(String traceId, Predicate<List<Received>> complete, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Received> trace = spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
            if (complete.test(trace)) {
                return trace;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("trace " + traceId + " incomplete after " + timeout + ": "
                        + trace.stream().map(Received::name).toList());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("content-type")));
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
            for (ResourceSpans resource : request.getResourceSpansList()) {
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        spans.add(new Received(scope.getScope().getName(), span));
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("content-type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
