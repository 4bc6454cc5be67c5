package dev.warden.gateway.surface;

import dev.warden.gateway.auth.Authenticator;
import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.metrics.GatewayMetrics;
import dev.warden.gateway.http.BoundedBody;
import dev.warden.gateway.http.InflightBodyBudget;
import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Inbound;
import dev.warden.gateway.pipeline.Pipeline;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.routing.RouteResult;
import dev.warden.gateway.routing.RouteTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves one request of an LLM surface, whatever carried it (Tomcat through {@link GatewayEndpoints}, or the API
 * listener): reads the (size-capped) body, runs the pipeline, and writes the answer — JSON, or server-sent events
 * flushed one by one so the caller sees each token as soon as the provider sends it. Errors are always rendered in
 * the caller's protocol, with no stack trace.
 */
@Component
public class SurfaceHandler {
    private static final Logger log = LoggerFactory.getLogger(SurfaceHandler.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Pipeline pipeline;
    private final Authenticator authenticator;
    private final RouteTable routes;
    private final GatewayMetrics metrics;
    private final long maxBody;
    private final InflightBodyBudget bodies;

    public SurfaceHandler(Pipeline pipeline, Authenticator authenticator, RouteTable routes, GatewayMetrics metrics,
                          WardenProperties properties) {
        this.pipeline = pipeline;
        this.authenticator = authenticator;
        this.routes = routes;
        this.metrics = metrics;
        var limits = properties.limits();
        this.maxBody = limits.maxBodySize().toBytes();
        this.bodies = new InflightBodyBudget(limits.inflightBodyLimit() != null
                ? limits.inflightBodyLimit().toBytes() : InflightBodyBudget.defaultLimit(maxBody),
                maxBody, limits.inflightBodyWait());
        metrics.inflightBodies(bodies);
    }

    /**
     * Serves one request of {@code surface}.
     *
     * @param contentLength the declared body length, or -1 when the body is chunked
     * @param body the request body, read to its end here (or not at all when the declared length is refused)
     */
    public void serve(Surface surface, String path, Map<String, List<String>> headers, long contentLength,
                      InputStream body, String remoteAddress, Answer answer) {
        long start = System.nanoTime();
        String requestId = requestId();
        Exchange exchange = null;
        int status = 500;
        // The body's share of the in-flight budget is held until the answer is written (streams included).
        try (InflightBodyBudget.Share share = bodies.share()) {
            refuseEncodedBody(headers);
            byte[] bytes = readBody(body, contentLength, maxBody, share);
            exchange = new Exchange(new Inbound(surface, path, headers, bytes, remoteAddress, requestId), start);
            exchange.put(InflightBodyBudget.Share.ATTRIBUTE, share); // the provider's answer takes room in it too
            Reply reply = pipeline.execute(exchange);
            status = write(exchange, reply, answer);
        } catch (GatewayException e) {
            status = e.status();
            if (exchange == null) {
                metrics.error(surface.label(), e.kind(), status, false); // before the pipeline, which counts its own
            }
            writeError(answer, surface.protocol(), e, requestId, overheadNanos(exchange, start));
        } catch (RuntimeException e) {
            // A bug, not a caller error: log it (no bodies, no secrets), answer in protocol with an id to quote.
            log.error("request {} failed inside the gateway: {}", requestId, e.toString(), e);
            status = 500;
            if (exchange == null) {
                metrics.error(surface.label(), ErrorKind.INTERNAL, status, false);
            }
            writeError(answer, surface.protocol(), new GatewayException(ErrorKind.INTERNAL,
                    "Internal gateway error; quote request id " + requestId), requestId, overheadNanos(exchange, start));
        } finally {
            RouteResult route = exchange == null ? null : exchange.find(RouteResult.ATTRIBUTE);
            CanonicalRequest canonical = exchange == null ? null : exchange.find(CanonicalRequest.ATTRIBUTE);
            String routeName = canonical == null ? "none"
                    : routes.resolve(canonical.model()).map(RouteTable.Route::name).orElse("unknown");
            metrics.request(surface.label(), status, route == null ? "none" : route.provider(), routeName);
            if (route != null && route.fellBack()) {
                metrics.fallback(route.provider(), routeName);
            }
        }
    }

    private int write(Exchange exchange, Reply reply, Answer answer) {
        String requestId = exchange.inbound().requestId();
        switch (reply) {
            case Reply.Json json -> {
                Map<String, String> headers = new LinkedHashMap<>(8);
                headers.put("Content-Type", "application/json");
                headers.putAll(json.headers());
                headers.put("x-request-id", requestId);
                headers.put("x-warden-overhead-ms", overhead(exchange));
                try {
                    answer.begin(json.status(), headers, json.body().length).write(json.body());
                } catch (IOException e) {
                    log.debug("request {}: client went away before the answer was written", requestId);
                }
                return json.status();
            }
            case Reply.Stream stream -> {
                Map<String, String> headers = new LinkedHashMap<>(8);
                headers.put("Content-Type", "text/event-stream;charset=UTF-8");
                headers.put("cache-control", "no-cache");
                headers.put("x-accel-buffering", "no");
                headers.putAll(stream.headers());
                headers.put("x-request-id", requestId);
                headers.put("x-warden-overhead-ms", overhead(exchange));
                writeStream(exchange, stream.events(), headers, answer);
                return 200;
            }
        }
    }

    private void writeStream(Exchange exchange, EventStream events, Map<String, String> headers, Answer answer) {
        CanonicalRequest request = exchange.get(CanonicalRequest.ATTRIBUTE);
        StreamTerminator terminator = new StreamTerminator(exchange.surface(), request.model());
        String requestId = exchange.inbound().requestId();
        try (events) {
            relay(events, answer.begin(200, headers, -1), terminator, requestId);
        } catch (IOException e) {
            // The caller disconnected: closing the event stream (try-with-resources) releases the provider.
            log.debug("request {}: client went away mid-stream", requestId);
        }
    }

    /**
     * Writes the events to the caller as they come and always ends the stream in the caller's protocol. Flushes
     * only when the next event is not already buffered ({@link EventStream#nextIsBuffered()}): events that arrived
     * together leave in one write, and nothing written ever waits for the provider unflushed.
     */
    static void relay(EventStream events, OutputStream out, StreamTerminator terminator, String requestId)
            throws IOException {
        while (true) {
            SseEvent event;
            try {
                event = events.next();
            } catch (GatewayException e) {
                endBroken(out, terminator, e.kind(), e.getMessage());
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("request {}: provider stream failed: {}", requestId, e.getMessage());
                endBroken(out, terminator, ErrorKind.BAD_GATEWAY,
                        "The provider stream failed before it was complete; quote request id " + requestId);
                return;
            }
            if (event == null) {
                break;
            }
            terminator.observe(event);
            writeEvent(out, event);
            if (!events.nextIsBuffered()) {
                out.flush();
            }
        }
        if (!terminator.terminated()) {
            endBroken(out, terminator, ErrorKind.BAD_GATEWAY,
                    "The provider ended the stream before it was complete; quote request id " + requestId);
        }
        out.flush(); // before closing the stream settles and records: the caller has its answer first
    }

    private static void endBroken(OutputStream out, StreamTerminator terminator, ErrorKind kind, String message) {
        try {
            for (SseEvent event : terminator.failure(kind, message)) {
                writeEvent(out, event);
            }
            out.flush();
        } catch (IOException ignored) {
            // the caller is gone too
        }
    }

    private static void writeEvent(OutputStream out, SseEvent event) throws IOException {
        if (event.event() != null) {
            out.write(EVENT);
            out.write(event.event().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        String data = event.data();
        int start = 0;
        // Multi-line data must be sent as several data: lines, or the client would see the line breaks as fields.
        while (true) {
            int newline = data.indexOf('\n', start);
            out.write(DATA);
            out.write(data.substring(start, newline < 0 ? data.length() : newline).getBytes(StandardCharsets.UTF_8));
            if (newline < 0) {
                break;
            }
            out.write('\n');
            start = newline + 1;
        }
        out.write(END);
    }

    /**
     * Answers a model list ({@code one} null) or one model, as the caller's key may use them: {@code GET /v1/models}
     * and {@code GET /v1/models/{model}}.
     */
    public void models(String path, Map<String, List<String>> headers, String remoteAddress, @Nullable String one,
                       Answer answer) {
        long start = System.nanoTime();
        String requestId = requestId();
        Inbound inbound = new Inbound(Surface.MODELS, path, headers, new byte[0], remoteAddress, requestId);
        try {
            VirtualKey key = authenticator.authenticate(inbound);
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            List<String> names = routes.modelNames().stream().filter(key::allowsModel).toList();
            ObjectNode body;
            if (one != null) {
                if (!names.contains(one)) {
                    throw new GatewayException(ErrorKind.MODEL_NOT_FOUND, "The model '" + one
                            + "' does not exist or this key may not use it", "model");
                }
                body = modelNode(nodes, one);
            } else {
                body = nodes.objectNode();
                body.put("object", "list");
                ArrayNode data = body.putArray("data");
                names.forEach(name -> data.add(modelNode(nodes, name)));
            }
            byte[] bytes = JSON.writeValueAsBytes(body);
            Map<String, String> answerHeaders = new LinkedHashMap<>(4);
            answerHeaders.put("Content-Type", "application/json");
            answerHeaders.put("x-request-id", requestId);
            answerHeaders.put("x-warden-overhead-ms", millis(System.nanoTime() - start));
            answer.begin(200, answerHeaders, bytes.length).write(bytes);
        } catch (GatewayException e) {
            writeError(answer, Surface.Protocol.OPENAI, e, requestId, System.nanoTime() - start);
        } catch (IOException e) {
            log.debug("request {}: client went away before the answer was written", requestId);
        }
    }

    private static ObjectNode modelNode(JsonNodeFactory nodes, String name) {
        ObjectNode node = nodes.objectNode();
        node.put("id", name);
        node.put("object", "model");
        node.put("created", 0);
        node.put("owned_by", "warden");
        return node;
    }

    private void writeError(Answer answer, Surface.Protocol protocol, GatewayException e, String requestId,
                            long overheadNanos) {
        if (answer.committed()) {
            return;
        }
        metrics.overhead(overheadNanos);
        Map<String, String> headers = new LinkedHashMap<>(8);
        headers.put("Content-Type", "application/json");
        headers.putAll(e.headers());
        headers.put("x-request-id", requestId);
        headers.put("x-warden-overhead-ms", millis(overheadNanos));
        byte[] body = ErrorBodies.bytes(protocol, e.kind(), e.getMessage(), e.param());
        try {
            answer.begin(e.status(), headers, body.length).write(body);
        } catch (IOException ignored) {
            // the caller is gone
        }
    }

    private String overhead(Exchange exchange) {
        long nanos = overheadNanos(exchange, exchange.startNanos());
        metrics.overhead(nanos);
        return millis(nanos);
    }

    private static long overheadNanos(@Nullable Exchange exchange, long start) {
        return System.nanoTime() - start - (exchange == null ? 0 : exchange.upstreamNanos());
    }

    /** Milliseconds with three decimals, without String.format (it showed up in profiles of the hot path). */
    static String millis(long nanos) {
        long micros = Math.max(0, nanos) / 1_000;
        long fraction = micros % 1_000;
        return (micros / 1_000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }

    /**
     * A compressed body would reach the parser as bytes that are not JSON (and would escape the size limit, which
     * counts what arrives): refused up front, naming the coding, before anything is read.
     */
    static void refuseEncodedBody(Map<String, List<String>> headers) {
        List<String> encodings = headers.get("content-encoding");
        if (encodings == null) {
            return;
        }
        for (String encoding : encodings) {
            String coding = encoding.strip();
            if (!coding.isEmpty() && !coding.equalsIgnoreCase("identity")) {
                throw new GatewayException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding "
                        + ErrorBodies.quotable(coding) + " is not supported for request bodies (expected: the JSON "
                        + "body uncompressed)");
            }
        }
    }

    /** Reads the body, refusing more than {@code max} bytes before buffering them. */
    static byte[] readBody(InputStream body, long declared, long max, BoundedBody.Reservation reservation) {
        if (declared > max) {
            throw tooLarge(declared, max);
        }
        try (InputStream in = body) {
            return BoundedBody.read(in, max, declared, () -> { }, reservation);
        } catch (BoundedBody.TooLargeException e) {
            throw tooLarge(e.size(), max);
        } catch (InflightBodyBudget.Exhausted e) {
            throw new GatewayException(ErrorKind.UNAVAILABLE, "The gateway is holding as many request bodies as its "
                    + "memory allows (" + e.inUse() + " of " + e.limit() + " bytes, for a body of " + e.wanted()
                    + " bytes); retry shortly (see warden.limits.inflight-body-limit)", null,
                    Map.of("Retry-After", "1"));
        } catch (IOException e) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "could not read the request body: "
                    + bodyFailure(e));
        }
    }

    /** Why a body could not be read, in words for the caller: no class names, at most one short line. */
    static String bodyFailure(IOException e) {
        String message = e.getMessage();
        String why;
        if (e instanceof java.net.SocketTimeoutException) {
            why = "it stopped arriving (read timed out)";
        } else if (e instanceof java.io.EOFException) {
            why = "the connection ended before the whole body arrived";
        } else if (e instanceof java.net.ProtocolException && message != null) {
            why = message; // the chunked decoder's own words ("malformed chunk size: '...'")
        } else {
            why = "the connection failed or the body's framing is malformed";
        }
        return why.length() <= 200 ? why : why.substring(0, 200) + "...";
    }

    private static GatewayException tooLarge(long size, long max) {
        return new GatewayException(ErrorKind.PAYLOAD_TOO_LARGE, "request body of " + size + " bytes or more "
                + "(expected: at most " + max + " bytes; see warden.limits.max-body-size)");
    }

    private static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "req_" + Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextInt()
                | Integer.MIN_VALUE);
    }
}
