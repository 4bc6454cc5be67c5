package dev.warden.gateway.providers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.warden.gateway.providers.translate.Conversation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local server speaking one provider's wire format, answering from a {@link Script}. Subclasses render the
 * script (as JSON or an event stream, as the request asks) and read back what they received into a canonical
 * conversation, so the conformance suite can check what reached the provider.
 */
public abstract class WireFake implements AutoCloseable {
    /** What the server received. */
    public record Received(String method, String path, String query, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Script script = Script.text("Hello from the fake");

    protected WireFake() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::handle);
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The base URL to configure for the provider. */
    public abstract URI baseUrl();

    /** Answers one successful request in the provider's format. */
    protected abstract void answer(Received request, HttpExchange exchange, Script script) throws IOException;

    /** Answers requests beside the API (a token endpoint); returns true if it did. Not recorded, never scripted. */
    protected boolean side(Received request, HttpExchange exchange) throws IOException {
        return false;
    }

    /** The provider's error body for a status. */
    protected abstract String errorBody(int status, String message);

    /** What the provider received, read back as a conversation. */
    public abstract Conversation saw(Received request);

    protected String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void script(Script next) {
        this.script = next;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received last() {
        return received.getLast();
    }

    public void reset() {
        received.clear();
        script = Script.text("Hello from the fake");
    }

    /** Thrown by a fake to drop the connection mid-body (the server closes it without ending the response). */
    public static final class Abort extends RuntimeException {
        public Abort() {
            super("simulated provider crash", null, false, false);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery();
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    query == null ? "" : query, headers, body);
            if (side(request, exchange)) {
                exchange.close();
                return;
            }
            received.add(request);
            Script current = script;
            if (current.isError()) {
                current.errorHeaders().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                json(exchange, current.status(), errorBody(current.status(), "scripted failure " + current.status()));
                exchange.close();
                return;
            }
            answer(request, exchange, current);
            exchange.close();
        } catch (IOException e) {
            exchange.close(); // the adapter hung up
        }
        // An Abort propagates without closing the exchange: the server drops the connection mid-body.
    }

    protected Script current() {
        return script;
    }

    protected static void json(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().add("content-type", "application/json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Writes events; a null name writes a data-only event. Honours the script's {@link Script#cutAfter}. */
    protected void sse(HttpExchange exchange, List<String[]> events) throws IOException {
        exchange.getResponseHeaders().add("content-type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        int sent = 0;
        for (String[] event : events) {
            if (script.cutAfter() >= 0 && sent++ >= script.cutAfter()) {
                throw new Abort();
            }
            String text = (event[0] != null ? "event: " + event[0] + "\n" : "") + "data: " + event[1] + "\n\n";
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** Escapes a string for a JSON literal. */
    protected static String q(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
