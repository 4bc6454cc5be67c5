package dev.warden.gateway.http;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 over blocking sockets, for calls to providers: the calling (virtual) thread writes the request and reads
 * the answer itself, and keep-alive connections are pooled per origin.
 *
 * <p>Why not {@link HttpClient}: its asynchronous machinery hands every exchange to a selector thread and back, and
 * in profiles of the gateway under load it was the largest single cost of a request (event registration, the
 * publisher/subscriber "tubes", executor hops). A request that already has its own virtual thread gains nothing from
 * it. This client does only what the gateway needs: one request, a response with a streamable body
 * (Content-Length, chunked, or until close), TLS with hostname verification, no redirects, no cookies, no proxies.
 *
 * <p>Connections: a response body read to its end goes back to the pool unless either side said
 * {@code Connection: close}; a body closed early closes its connection. Idle connections are dropped after
 * {@code idleTimeout}, kept short because servers close idle connections too (uvicorn, which serves vLLM, after 5 s).
 * A request that fails on a reused connection before any byte of the answer arrived is sent once more on a new
 * connection: the server closed the idle connection, it never saw the request.
 */
public final class Http1Client implements AutoCloseable {
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_HEADERS = 200;

    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final int maxIdlePerOrigin;
    private final SSLContext ssl;
    private final Watchdog watchdog;
    private final ConcurrentHashMap<Origin, IdlePool> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public Http1Client(Duration connectTimeout, Duration idleTimeout, int maxIdlePerOrigin, SSLContext ssl,
                       Watchdog watchdog) {
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
        this.maxIdlePerOrigin = maxIdlePerOrigin;
        this.ssl = requireNonNull(ssl, "ssl");
        this.watchdog = requireNonNull(watchdog, "watchdog");
    }

    /**
     * Sends {@code request} and returns once the response headers are in, at most {@code headerTimeout} after the
     * call; the body is read from the returned stream (whose reads the caller bounds, e.g. with the watchdog).
     *
     * @throws HttpTimeoutException if no response headers arrived in time
     * @throws IOException on a connection or protocol failure
     */
    public HttpResponse<InputStream> send(HttpRequest request, Duration headerTimeout) throws IOException {
        if (closed) {
            throw new IOException("the upstream client is closed");
        }
        Origin origin = Origin.of(request.uri());
        byte[] head = head(request, origin);
        byte[] body = body(request, headerTimeout);
        long deadline = System.nanoTime() + headerTimeout.toNanos();
        for (int attempt = 0; ; attempt++) {
            Connection pooled = idleConnection(origin);
            Connection connection = pooled != null ? pooled : open(origin);
            Watchdog.Watch watch = watchdog.watch(Math.max(0, deadline - System.nanoTime()), connection::close);
            try {
                connection.write(head, body);
                return connection.readHead(request);
            } catch (IOException e) {
                connection.close();
                if (watch.expired()) {
                    throw new HttpTimeoutException("no response headers within " + headerTimeout.toMillis() + " ms");
                }
                if (pooled == null || connection.bytesRead > 0 || attempt > 0) {
                    throw e;
                }
                // A pooled connection the server had already closed: send again on a new one.
            } finally {
                watch.stop();
            }
        }
    }

    private static byte[] head(HttpRequest request, Origin origin) {
        URI uri = request.uri();
        StringBuilder head = new StringBuilder(256);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        head.append(request.method()).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(origin.hostHeader()).append("\r\n");
        request.headers().map().forEach((name, values) -> {
            for (String value : values) {
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        long length = request.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
        if (length > 0 || !"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
            head.append("Content-Length: ").append(Math.max(0, length)).append("\r\n");
        }
        head.append("\r\n");
        // HttpRequest has already refused CR/LF in names and values, so this cannot split a header.
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The request body, collected from its publisher (the gateway's publishers are in-memory byte arrays). */
    private static byte[] body(HttpRequest request, Duration timeout) throws IOException {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return new byte[0];
        }
        long length = publisher.get().contentLength();
        if (length < 0) {
            throw new IOException("request bodies of unknown length are not supported by the upstream client");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(length, Integer.MAX_VALUE));
        CompletableFuture<Void> done = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not read the request body: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the request body", e);
        }
        if (out.size() != length) {
            throw new IOException("request body of " + out.size() + " bytes (expected: " + length + ")");
        }
        return out.toByteArray();
    }

    private @Nullable Connection idleConnection(Origin origin) {
        IdlePool pool = idle.get(origin);
        if (pool == null) {
            return null;
        }
        long now = System.nanoTime();
        while (true) {
            Connection connection = pool.takeNewest();
            if (connection == null) {
                return null;
            }
            if (now - connection.idleSince < idleTimeout.toNanos() && !connection.socket.isClosed()) {
                return connection;
            }
            connection.close();
        }
    }

    private void release(Connection connection) {
        if (closed) {
            connection.close();
            return;
        }
        connection.idleSince = System.nanoTime();
        connection.bytesRead = 0;
        Connection evicted = idle.computeIfAbsent(connection.origin, o -> new IdlePool()).put(connection,
                maxIdlePerOrigin);
        if (evicted != null) {
            evicted.close();
        }
    }

    /**
     * One origin's idle connections, newest last, without a lock. Every request takes one and gives it back, so under
     * load this is the most contended spot in the client; a monitor here turned a burst of new client connections into
     * a convoy of virtual threads queued on it (each hand-over waking the next through the scheduler) that took
     * seconds to clear at 5,000 req/s (ADR 0008). The size is kept beside the deque and may briefly overshoot by the
     * number of concurrent releases; the eviction brings it back.
     */
    private static final class IdlePool {
        private final ConcurrentLinkedDeque<Connection> connections = new ConcurrentLinkedDeque<>();
        private final AtomicInteger size = new AtomicInteger();

        /** The most recently used connection (the least likely to have been closed by the server), or null. */
        @Nullable Connection takeNewest() {
            Connection c = connections.pollLast();
            if (c != null) {
                size.decrementAndGet();
            }
            return c;
        }

        /** Adds {@code c} as the newest; returns the oldest, to be closed, when that makes more than {@code max}. */
        @Nullable Connection put(Connection c, int max) {
            connections.addLast(c);
            if (size.incrementAndGet() <= max) {
                return null;
            }
            Connection oldest = connections.pollFirst();
            if (oldest != null) {
                size.decrementAndGet();
            }
            return oldest;
        }

        void closeAll() {
            Connection c;
            while ((c = takeNewest()) != null) {
                c.close();
            }
        }
    }

    /**
     * Opens a connection. Connect and TLS handshake are bounded by the watchdog (which closes the socket), not by
     * socket timeouts: a timed operation switches a JDK socket to non-blocking mode for good, and every later read on
     * a platform thread would then cost a failed read, a poll and a read instead of one blocking read.
     */
    private Connection open(Origin origin) throws IOException {
        Socket socket = new Socket();
        Watchdog.Watch watch = watchdog.watch(connectTimeout.toNanos(), () -> closeQuietly(socket));
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(new InetSocketAddress(origin.host(), origin.port()));
            if (origin.tls()) {
                SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(socket, origin.host(), origin.port(),
                        true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                if (!origin.hostIsAddress()) {
                    parameters.setServerNames(List.of(new SNIHostName(origin.host())));
                }
                parameters.setApplicationProtocols(new String[] {"http/1.1"});
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                return new Connection(origin, tls);
            }
            return new Connection(origin, socket);
        } catch (IOException e) {
            socket.close();
            if (watch.expired()) {
                throw new HttpConnectTimeoutException("no connection to " + origin.hostHeader() + " within "
                        + connectTimeout.toMillis() + " ms");
            }
            throw e;
        } finally {
            watch.stop();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the blocked connect or handshake fails either way
        }
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(IdlePool::closeAll);
    }

    /** Where a connection goes: scheme, host and port. */
    record Origin(boolean tls, String host, int port) {
        static Origin of(URI uri) throws IOException {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IOException("upstream URL scheme " + scheme + " (expected: http or https)");
            }
            String host = uri.getHost();
            if (host == null) {
                throw new IOException("upstream URL without a host: " + uri);
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            boolean tls = scheme.equals("https");
            return new Origin(tls, host, uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80);
        }

        String hostHeader() {
            String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return port == (tls ? 443 : 80) ? name : name + ":" + port;
        }

        boolean hostIsAddress() {
            return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
        }
    }

    /** One socket, its read buffer, and whether it may go back to the pool. */
    final class Connection {
        final Origin origin;
        final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;
        long bytesRead;
        volatile long idleSince;

        Connection(Origin origin, Socket socket) throws IOException {
            this.origin = origin;
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void write(byte[] head, byte[] body) throws IOException {
            if (body.length > 0 && head.length + body.length <= 64 * 1024) {
                byte[] all = new byte[head.length + body.length]; // one segment for small requests
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(body, 0, all, head.length, body.length);
                out.write(all);
            } else {
                out.write(head);
                if (body.length > 0) {
                    out.write(body);
                }
            }
            out.flush();
        }

        Response readHead(HttpRequest request) throws IOException {
            while (true) {
                String statusLine = line();
                // "HTTP/1.1 200 OK"
                if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                    throw new ProtocolException("not an HTTP/1.x status line: "
                            + statusLine.substring(0, Math.min(40, statusLine.length())));
                }
                int status;
                try {
                    status = Integer.parseInt(statusLine, 9, 12, 10);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad status code in: " + statusLine);
                }
                boolean http10 = statusLine.startsWith("HTTP/1.0");
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                int count = 0;
                for (String line = line(); !line.isEmpty(); line = line()) {
                    int colon = line.indexOf(':');
                    if (colon <= 0 || ++count > MAX_HEADERS) {
                        throw new ProtocolException("bad or too many response headers");
                    }
                    headers.computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>(1))
                            .add(line.substring(colon + 1).strip());
                }
                if (status >= 100 && status < 200) {
                    continue; // 100 Continue and other interim answers carry no body
                }
                HttpHeaders httpHeaders = HttpHeaders.of(headers, (a, b) -> true);
                boolean keepAlive = !http10 && !hasToken(httpHeaders, "connection", "close");
                InputStream body = bodyStream(request, status, httpHeaders, keepAlive);
                return new Response(request, status, httpHeaders, body,
                        socket instanceof SSLSocket tls ? tls.getSession() : null);
            }
        }

        private InputStream bodyStream(HttpRequest request, int status, HttpHeaders headers, boolean keepAlive)
                throws IOException {
            if ("HEAD".equals(request.method()) || status == 204 || status == 304) {
                return finished(keepAlive);
            }
            if (hasToken(headers, "transfer-encoding", "chunked")) {
                return new ChunkedBody(keepAlive);
            }
            Optional<String> length = headers.firstValue("content-length");
            if (length.isPresent()) {
                long n;
                try {
                    n = Long.parseLong(length.get().strip());
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad Content-Length: " + length.get());
                }
                if (n < 0) {
                    throw new ProtocolException("bad Content-Length: " + n);
                }
                return n == 0 ? finished(keepAlive) : new FixedBody(n, keepAlive);
            }
            return new UntilCloseBody();
        }

        private InputStream finished(boolean keepAlive) {
            if (keepAlive) {
                release(this);
            } else {
                close();
            }
            return InputStream.nullInputStream();
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                if (position == limit && !fill()) {
                    throw new EOFException("connection closed by the upstream before the response headers ended");
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                line.append((char) (b & 0xff));
                if (line.length() > MAX_HEADER_BYTES) {
                    throw new ProtocolException("response header line longer than " + MAX_HEADER_BYTES + " bytes");
                }
            }
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            bytesRead += n;
            return true;
        }

        /** Reads up to {@code max} buffered or fresh bytes; -1 at end of stream. */
        private int read(byte[] target, int offset, int max) throws IOException {
            if (position == limit) {
                if (max >= buffer.length) {
                    int n = in.read(target, offset, max); // large reads bypass the buffer
                    if (n > 0) {
                        bytesRead += n;
                    }
                    return n;
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(max, limit - position);
            System.arraycopy(buffer, position, target, offset, n);
            position += n;
            return n;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing more to do
            }
        }

        /**
         * A body that ends before the connection does: read to its end, the connection goes back to the pool (unless
         * either side said close); closed early, the connection is closed, since the rest of the body is still on it.
         */
        /** A response body; single bytes are read through the array read, which does the framing. */
        private abstract class BodyStream extends InputStream {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n;
                do {
                    n = read(one, 0, 1);
                } while (n == 0);
                return n == 1 ? one[0] & 0xff : -1;
            }
        }

        private abstract class PooledBody extends BodyStream {
            private final boolean keepAlive;
            boolean done;

            PooledBody(boolean keepAlive) {
                this.keepAlive = keepAlive;
            }

            @Override
            public void close() {
                finish(false);
            }

            final void finish(boolean complete) {
                if (done) {
                    return;
                }
                done = true;
                if (complete && keepAlive) {
                    release(Connection.this);
                } else {
                    Connection.this.close();
                }
            }
        }

        /** A body of known length. */
        private final class FixedBody extends PooledBody {
            private long remaining;

            FixedBody(long length, boolean keepAlive) {
                super(keepAlive);
                this.remaining = length;
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (done) {
                    return -1;
                }
                if (length == 0) {
                    return 0;
                }
                int n = Connection.this.read(target, offset, (int) Math.min(length, remaining));
                if (n < 0) {
                    finish(false);
                    throw new EOFException("upstream closed the connection with " + remaining + " body bytes unread");
                }
                remaining -= n;
                if (remaining == 0) {
                    finish(true);
                }
                return n;
            }
        }

        /** {@code Transfer-Encoding: chunked}, decoded by {@link ChunkedDecoder}; trailers skipped. */
        private final class ChunkedBody extends PooledBody {
            private final ChunkedDecoder decoder = new ChunkedDecoder(new ChunkedDecoder.Source() {
                @Override
                public int read(byte[] into, int off, int len) throws IOException {
                    return Connection.this.read(into, off, len);
                }

                @Override
                public String line() throws IOException {
                    return Connection.this.line();
                }
            });

            ChunkedBody(boolean keepAlive) {
                super(keepAlive);
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (done) {
                    return -1;
                }
                try {
                    int n = decoder.read(target, offset, length);
                    if (n < 0) {
                        finish(true);
                    }
                    return n;
                } catch (IOException e) {
                    finish(false);
                    throw e;
                }
            }
        }

        /** No length and no chunking: the body ends when the upstream closes the connection (never reused). */
        private final class UntilCloseBody extends BodyStream {
            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                int n = Connection.this.read(target, offset, length);
                if (n < 0) {
                    Connection.this.close();
                }
                return n;
            }

            @Override
            public void close() {
                Connection.this.close();
            }
        }
    }

    private static boolean hasToken(HttpHeaders headers, String name, String token) {
        for (String value : headers.allValues(name)) {
            for (String part : value.split(",")) {
                if (part.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The answer: status, headers and the body as a stream. */
    record Response(HttpRequest request, int statusCode, HttpHeaders headers, InputStream body,
                    @Nullable SSLSession session) implements HttpResponse<InputStream> {
        @Override
        public Optional<HttpResponse<InputStream>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.ofNullable(session);
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
