package dev.warden.bench.upstream;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fast, deterministic OpenAI-compatible upstream for load runs: {@code POST /v1/chat/completions} (plain and
 * {@code stream: true} SSE, with {@code stream_options.include_usage}), {@code POST /v1/embeddings} and
 * {@code GET /v1/models}. The answer never depends on the request beyond "stream or not", so every gateway under test
 * forwards the same bytes and the comparison measures the gateways, not the upstream.
 *
 * <p>Speed matters more than generality here: it must stay the cheapest process on a 2-core box. So it is a minimal
 * HTTP/1.1 server on blocking sockets, one virtual thread per connection, responses written in one {@code write}
 * each, and no JSON parsing (a substring check for {@code "stream":true}). The JDK's {@code HttpServer} was tried
 * first and could not keep its latency low at 1,000 req/s with 128 connections on this machine.
 */
public final class FakeUpstream implements AutoCloseable {

    /** How the upstream answers; all delays are slept on a virtual thread, so they cost no CPU. */
    public record Options(int port, Duration latency, int chunks, Duration chunkDelay) {
        public Options {
            if (chunks < 1 || chunks > 10_000) {
                throw new IllegalArgumentException("chunks: " + chunks + " (expected: 1..10000)");
            }
            if (latency.isNegative() || chunkDelay.isNegative()) {
                throw new IllegalArgumentException("latency and chunk delay must not be negative");
            }
        }
    }

    private static final byte[] MODELS = """
            {"object":"list","data":[{"id":"bench-model","object":"model","created":1700000000,"owned_by":"bench"}]}"""
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMBEDDING = """
            {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3,0.4]}],\
            "model":"bench-model","usage":{"prompt_tokens":8,"total_tokens":8}}""".getBytes(StandardCharsets.UTF_8);

    private final Options options;
    private final ServerSocket server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong served = new AtomicLong();
    private final byte[] completion;
    private final byte[][] streamEvents;
    private volatile boolean closed;

    public FakeUpstream(Options options) throws IOException {
        this.options = options;
        this.completion = response(200, "application/json", completionBody(options.chunks()));
        this.streamEvents = streamEvents(options.chunks());
        this.server = new ServerSocket(options.port(), 4096, InetAddress.getLoopbackAddress());
    }

    public FakeUpstream start() {
        Thread.ofPlatform().daemon().name("upstream-accept").start(() -> {
            while (!closed) {
                try {
                    Socket socket = server.accept();
                    socket.setTcpNoDelay(true);
                    executor.execute(() -> serve(socket));
                } catch (IOException e) {
                    if (!closed) {
                        System.err.println("upstream: accept failed: " + e);
                    }
                }
            }
        });
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    public long served() {
        return served.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        executor.shutdownNow();
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = socket.getOutputStream();
            byte[] line = new byte[8 * 1024];
            while (true) {
                int n = readLine(in, line);
                if (n == 0) {
                    continue;
                }
                String requestLine = new String(line, 0, n, StandardCharsets.ISO_8859_1);
                int contentLength = 0;
                boolean close = false;
                while ((n = readLine(in, line)) > 0) {
                    String h = new String(line, 0, n, StandardCharsets.ISO_8859_1);
                    int colon = h.indexOf(':');
                    if (colon > 0) {
                        String name = h.substring(0, colon).trim();
                        if (name.equalsIgnoreCase("content-length")) {
                            contentLength = Integer.parseInt(h.substring(colon + 1).trim());
                        } else if (name.equalsIgnoreCase("connection")) {
                            close = h.substring(colon + 1).trim().equalsIgnoreCase("close");
                        }
                    }
                }
                byte[] body = in.readNBytes(contentLength);
                if (body.length < contentLength) {
                    return;
                }
                served.incrementAndGet();
                handle(requestLine, body, out);
                if (close) {
                    return;
                }
            }
        } catch (EOFException | SocketException e) {
            // the client closed the connection: normal end of a keep-alive connection
        } catch (IOException | RuntimeException e) {
            System.err.println("upstream: " + e);
        }
    }

    private void handle(String requestLine, byte[] body, OutputStream out) throws IOException {
        int sp = requestLine.indexOf(' ');
        int sp2 = requestLine.indexOf(' ', sp + 1);
        String path = requestLine.substring(sp + 1, sp2 < 0 ? requestLine.length() : sp2);
        if (path.endsWith("/models")) {
            out.write(response(200, "application/json", MODELS));
        } else if (path.endsWith("/embeddings")) {
            sleep(options.latency());
            out.write(response(200, "application/json", EMBEDDING));
        } else if (path.endsWith("/chat/completions")) {
            if (wantsStream(body)) {
                stream(out, contains(body, "include_usage"));
            } else {
                sleep(options.latency());
                out.write(completion);
            }
        } else {
            out.write(response(404, "application/json",
                    "{\"error\":{\"message\":\"no route\",\"type\":\"not_found\",\"code\":null}}"
                            .getBytes(StandardCharsets.UTF_8)));
        }
        out.flush();
    }

    private void stream(OutputStream out, boolean includeUsage) throws IOException {
        // Time to first token: the headers go out at once (as real providers do), the first event after `latency`.
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        sleep(options.latency());
        int last = streamEvents.length - 1; // the usage event
        for (int i = 0; i < last; i++) {
            if (i > 0) {
                sleep(options.chunkDelay());
            }
            out.write(chunk(streamEvents[i]));
            out.flush();
        }
        if (includeUsage) {
            out.write(chunk(streamEvents[last]));
        }
        out.write(chunk("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII)));
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static byte[] chunk(byte[] data) {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        all[all.length - 2] = '\r';
        all[all.length - 1] = '\n';
        return all;
    }

    private static byte[] response(int status, String contentType, byte[] body) {
        byte[] head = ("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\nContent-Type: "
                + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static int readLine(InputStream in, byte[] line) throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            if (b == '\n') {
                return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
            }
            if (n == line.length) {
                throw new IOException("header line too long");
            }
            line[n++] = (byte) b;
        }
    }

    static boolean wantsStream(byte[] body) {
        return contains(body, "\"stream\":true") || contains(body, "\"stream\": true");
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i <= haystack.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String word(int i) {
        return "tok" + i + " ";
    }

    private static byte[] completionBody(int chunks) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            text.append(word(i));
        }
        return ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"bench-model\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text
                + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + chunks + ",\"total_tokens\":" + (12 + chunks)
                + "}}").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code chunks} content events, one finish event, then one usage event (sent only when asked for). */
    private static byte[][] streamEvents(int chunks) {
        String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"bench-model\",";
        byte[][] events = new byte[chunks + 2][];
        for (int i = 0; i < chunks; i++) {
            String delta = i == 0
                    ? "{\"role\":\"assistant\",\"content\":\"" + word(i) + "\"}"
                    : "{\"content\":\"" + word(i) + "\"}";
            events[i] = (head + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        events[chunks] = (head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        events[chunks + 1] = (head + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + chunks
                + ",\"total_tokens\":" + (12 + chunks) + "}}\n\n").getBytes(StandardCharsets.UTF_8);
        return events;
    }
}
