package dev.warden.gateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local server that speaks OpenAI's wire format (JSON answers and server-sent event streams), scripted per test:
 * it can answer, fail with any status and Retry-After, stall, or break a stream midway. It records what it received.
 */
public final class FakeUpstream implements AutoCloseable {
    /** What the server received. */
    public record Received(String method, String path, Map<String, String> headers, String body) {
    }

    /** How to answer one request. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(Received request, HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour = FakeUpstream.chat("upstream says hi");

    private FakeUpstream(HttpServer server) {
        this.server = server;
    }

    public static FakeUpstream start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
            FakeUpstream upstream = new FakeUpstream(server);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", upstream::handle);
            server.start();
            return upstream;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public FakeUpstream respond(Behaviour next) {
        this.behaviour = next;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void reset() {
        received.clear();
        behaviour = chat("upstream says hi");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    body);
            received.add(request);
            behaviour.answer(request, exchange);
            exchange.close();
        } catch (IOException e) {
            exchange.close(); // the gateway hung up (a test of timeouts or cancellation)
        }
        // An Abort propagates without closing the exchange: the server drops the connection mid-body.
    }

    /** Thrown by a behaviour to drop the connection without ending the response body. */
    public static final class Abort extends RuntimeException {
        public Abort() {
            super("simulated upstream crash", null, false, false);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- behaviours ----

    public static Behaviour json(int status, String body, String... headerPairs) {
        return (request, exchange) -> {
            for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                exchange.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
            }
            exchange.getResponseHeaders().add("content-type", "application/json");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        };
    }

    public static Behaviour error(int status, String message, String... headerPairs) {
        return json(status, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"server_error\",\"code\":null}}",
                headerPairs);
    }

    /** A chat completion (or streamed chunks, if the request asked for a stream) with the given text. */
    public static Behaviour chat(String text) {
        return (request, exchange) -> {
            if (request.body().contains("\"stream\":true")) {
                sse(exchange, chatChunks(text, 3, true), Duration.ZERO, -1);
            } else {
                json(200, "{\"id\":\"chatcmpl-up\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"up\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text
                        + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,"
                        + "\"total_tokens\":18}}").answer(request, exchange);
            }
        };
    }

    /** A chat stream that sends {@code before} chunks and then drops the connection without [DONE]. */
    public static Behaviour brokenChatStream(String text, int before) {
        return (request, exchange) -> sse(exchange, chatChunks(text, 3, true), Duration.ZERO, before);
    }

    /** Waits before answering (for timeouts and idle streams). */
    public static Behaviour delayed(Duration delay, Behaviour then) {
        return (request, exchange) -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            then.answer(request, exchange);
        };
    }

    /** A streamed answer whose events come {@code gap} apart. */
    public static Behaviour slowChatStream(String text, Duration gap) {
        return (request, exchange) -> sse(exchange, chatChunks(text, 3, true), gap, -1);
    }

    public static List<String> chatChunks(String text, int parts, boolean usage) {
        List<String> events = new ArrayList<>();
        events.add("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"up\",\"choices\":"
                + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
        int size = Math.max(1, text.length() / parts);
        for (int i = 0; i < text.length(); i += size) {
            String piece = text.substring(i, Math.min(text.length(), i + size));
            events.add("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"up\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"},\"finish_reason\":null}]}");
        }
        events.add("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"up\",\"choices\":"
                + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        if (usage) {
            events.add("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"up\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}}");
        }
        events.add("[DONE]");
        return events;
    }

    /** Writes data-only events; stops (dropping the connection) after {@code limit} events if limit >= 0. */
    public static void sse(HttpExchange exchange, List<String> events, Duration gap, int limit) throws IOException {
        exchange.getResponseHeaders().add("content-type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        int sent = 0;
        for (String event : events) {
            if (limit >= 0 && sent >= limit) {
                if (sent > 0) {
                    // Let the events already sent reach the reader before the reset discards buffered bytes.
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                throw new Abort(); // drop the connection rather than ending the chunked body cleanly
            }
            if (!gap.isZero()) {
                try {
                    Thread.sleep(gap);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            sent++;
        }
    }

    /** A complete Responses API stream answering {@code text}, as OpenAI sends it. */
    public static Behaviour responsesStream(String text) {
        return (request, exchange) -> {
            String id = "resp_up_" + Integer.toHexString(request.body().hashCode());
            String response = "{\"id\":\"" + id + "\",\"object\":\"response\",\"created_at\":1,\"model\":\"up\","
                    + "\"status\":\"%s\",\"output\":%s,\"usage\":%s}";
            String item = "{\"type\":\"message\",\"id\":\"msg_up\",\"status\":\"completed\",\"role\":\"assistant\","
                    + "\"content\":[{\"type\":\"output_text\",\"text\":\"" + text + "\",\"annotations\":[]}]}";
            String usage = "{\"input_tokens\":21,\"input_tokens_details\":{\"cached_tokens\":5},\"output_tokens\":9,"
                    + "\"output_tokens_details\":{\"reasoning_tokens\":2},\"total_tokens\":30}";
            List<String[]> events = new ArrayList<>();
            events.add(new String[] {"response.created", "{\"type\":\"response.created\",\"sequence_number\":0,"
                    + "\"response\":" + response.formatted("in_progress", "[]", "null") + "}"});
            events.add(new String[] {"response.output_item.added", "{\"type\":\"response.output_item.added\","
                    + "\"sequence_number\":1,\"output_index\":0,\"item\":{\"type\":\"message\",\"id\":\"msg_up\","
                    + "\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}"});
            events.add(new String[] {"response.content_part.added", "{\"type\":\"response.content_part.added\","
                    + "\"sequence_number\":2,\"item_id\":\"msg_up\",\"output_index\":0,\"content_index\":0,"
                    + "\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}}"});
            events.add(new String[] {"response.output_text.delta", "{\"type\":\"response.output_text.delta\","
                    + "\"sequence_number\":3,\"item_id\":\"msg_up\",\"output_index\":0,\"content_index\":0,"
                    + "\"delta\":\"" + text + "\"}"});
            events.add(new String[] {"response.output_text.done", "{\"type\":\"response.output_text.done\","
                    + "\"sequence_number\":4,\"item_id\":\"msg_up\",\"output_index\":0,\"content_index\":0,"
                    + "\"text\":\"" + text + "\"}"});
            events.add(new String[] {"response.content_part.done", "{\"type\":\"response.content_part.done\","
                    + "\"sequence_number\":5,\"item_id\":\"msg_up\",\"output_index\":0,\"content_index\":0,"
                    + "\"part\":{\"type\":\"output_text\",\"text\":\"" + text + "\",\"annotations\":[]}}"});
            events.add(new String[] {"response.output_item.done", "{\"type\":\"response.output_item.done\","
                    + "\"sequence_number\":6,\"output_index\":0,\"item\":" + item + "}"});
            events.add(new String[] {"response.completed", "{\"type\":\"response.completed\",\"sequence_number\":7,"
                    + "\"response\":" + response.formatted("completed", "[" + item + "]", usage) + "}"});
            namedSse(exchange, events);
        };
    }

    /** Events with names, for the Responses API. */
    public static void namedSse(HttpExchange exchange, List<String[]> events) throws IOException {
        exchange.getResponseHeaders().add("content-type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String[] event : events) {
            out.write(("event: " + event[0] + "\ndata: " + event[1] + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
