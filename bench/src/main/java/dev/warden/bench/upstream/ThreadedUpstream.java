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

import static dev.warden.bench.upstream.Answers.chunk;
import static dev.warden.bench.upstream.Answers.response;

/**
 * The original upstream ({@code --engine threads}), kept to measure what the NIO engine saves: blocking sockets, one
 * virtual thread per connection, delays slept on that thread. Each request costs virtual-thread parks and unparks on
 * the carrier pool and the JDK's poller thread.
 */
final class ThreadedUpstream implements FakeUpstream.Server {

    private final FakeUpstream.Options options;
    private final ServerSocket server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong served = new AtomicLong();
    private final byte[] completion;
    private final byte[][] streamEvents;
    private volatile boolean closed;

    ThreadedUpstream(FakeUpstream.Options options) throws IOException {
        this.options = options;
        this.completion = response(200, "application/json", Answers.completionBody(options.chunks()));
        this.streamEvents = Answers.streamEvents(options.chunks());
        this.server = new ServerSocket(options.port(), 4096, InetAddress.getLoopbackAddress());
    }

    @Override
    public void start() {
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
    }

    @Override
    public int port() {
        return server.getLocalPort();
    }

    @Override
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
            out.write(response(200, "application/json", Answers.MODELS));
        } else if (path.endsWith("/embeddings")) {
            sleep(options.latency());
            out.write(response(200, "application/json", Answers.EMBEDDING));
        } else if (path.endsWith("/chat/completions")) {
            if (Answers.wantsStream(body, 0, body.length)) {
                stream(out, Answers.contains(body, 0, body.length, "include_usage"));
            } else {
                sleep(options.latency());
                out.write(completion);
            }
        } else {
            out.write(response(404, "application/json", Answers.NOT_FOUND));
        }
        out.flush();
    }

    private void stream(OutputStream out, boolean includeUsage) throws IOException {
        // Time to first token: the headers go out at once (as real providers do), the first event after `latency`.
        out.write(Answers.STREAM_HEAD);
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
        out.write(chunk(Answers.DONE));
        out.write(Answers.LAST_CHUNK);
        out.flush();
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
}
