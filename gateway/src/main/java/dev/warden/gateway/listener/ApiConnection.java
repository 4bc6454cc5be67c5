package dev.warden.gateway.listener;

import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.surface.Answer;
import dev.warden.gateway.surface.ErrorBodies;
import dev.warden.gateway.surface.SurfaceDispatch;
import dev.warden.gateway.surface.SurfaceHandler;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the {@link ApiListener}: reads requests one after another (HTTP/1.1 keep-alive), serves
 * each on this thread through {@link SurfaceHandler}, and frames the answer (Content-Length, or chunked for streams).
 * Anything that is not the LLM API gets a 404 or 405 in the caller's protocol.
 */
final class ApiConnection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ApiConnection.class);
    private static final List<String> MODEL_LISTS = List.of("/v1/models", "/openai/v1/models",
            "/anthropic/v1/models");
    private static final List<String> ONE_MODEL = List.of("/v1/models/", "/openai/v1/models/");
    /** What is left of a body the surface did not read (a refused request) is skipped up to this much, then closed. */
    private static final long MAX_DISCARD = 64 * 1024;

    private final Socket socket;
    private final ApiListener listener;
    private final SurfaceHandler handler;
    private final ApiListener.Settings settings;
    private volatile boolean idle = true;

    ApiConnection(Socket socket, ApiListener listener, SurfaceHandler handler, ApiListener.Settings settings) {
        this.socket = socket;
        this.listener = listener;
        this.handler = handler;
        this.settings = settings;
    }

    /** Closes the connection if it is waiting for a request (on stop); one in the middle of a request finishes it. */
    boolean closeIfIdle() {
        if (idle) {
            close();
            return true;
        }
        return false;
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void run() {
        try {
            socket.setTcpNoDelay(true);
            ConnectionInput input = new ConnectionInput(socket, settings.maxHeadBytes(), listener.watchdog());
            OutputStream out = new BufferedOutputStream(new WatchedOutput(socket, listener.watchdog(),
                    settings.writeTimeoutNanos()), 8192);
            String remote = socket.getInetAddress().getHostAddress();
            while (!listener.stopping()) {
                RequestHead head;
                idle = true;
                try {
                    head = input.readHead(settings.idleMillis(), settings.readMillis());
                } catch (RequestHead.Malformed e) {
                    refuse(out, e.status(), "/", e.getMessage());
                    return;
                }
                if (head == null) {
                    return;
                }
                idle = false;
                if (!serve(head, input, out, remote)) {
                    return;
                }
            }
        } catch (IOException e) {
            log.debug("API listener connection from {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
        } catch (RuntimeException e) {
            log.error("API listener connection from {} failed: {}", socket.getRemoteSocketAddress(), e.toString(), e);
        } finally {
            close();
            listener.closed(this);
        }
    }

    /** Serves one request; whether the connection can carry the next one. */
    private boolean serve(RequestHead head, ConnectionInput input, OutputStream out, String remote)
            throws IOException {
        long length;
        try {
            length = head.framing();
        } catch (RequestHead.Malformed e) {
            refuse(out, e.status(), head.path(), e.getMessage());
            return false;
        }
        String path = head.path();
        boolean keepAlive = !head.wantsClose() && !listener.stopping();
        ConnectionInput.BeforeRead sendContinue = head.expectsContinue() ? () -> writeContinue(out) : () -> { };
        ConnectionInput.Body body = input.body(length, sendContinue, settings.readMillis());
        // A body that could not be read leaves the connection at an unknown place: the answer closes it.
        ListenerAnswer answer = new ListenerAnswer(out, head.http11(), keepAlive,
                () -> listener.stopping() || body.failed());
        Surface surface = SurfaceDispatch.POST_PATHS.get(path);
        String oneModel = oneModel(path);
        if (surface != null && head.method().equals("POST")) {
            handler.serve(surface, path, head.headers(), length, body, remote, answer);
        } else if (head.method().equals("GET") && MODEL_LISTS.contains(path)) {
            handler.models(path, head.headers(), remote, null, answer);
        } else if (head.method().equals("GET") && oneModel != null) {
            String model = decode(oneModel);
            if (model == null) {
                error(answer, path, ErrorKind.INVALID_REQUEST, 400, "Malformed percent-encoding in "
                        + ErrorBodies.quotable(path));
            } else {
                handler.models(path, head.headers(), remote, model, answer);
            }
        } else if (surface != null || MODEL_LISTS.contains(path) || oneModel != null) {
            error(answer, path, ErrorKind.METHOD_NOT_ALLOWED, 405, "Method "
                    + ErrorBodies.quotable(head.method()) + " is not allowed on " + ErrorBodies.quotable(path));
        } else {
            error(answer, path, ErrorKind.NOT_FOUND, 404, "Unknown path " + ErrorBodies.quotable(path)
                    + " (this port serves the LLM API only; the admin API, console and health are on the main port)");
        }
        if (!answer.committed()) {
            // The surface always answers; this is a bug, reported in protocol rather than as a dropped connection.
            error(answer, path, ErrorKind.INTERNAL, 500, "Internal gateway error");
        }
        answer.finish();
        if (!answer.keepAlive() || body.failed()) {
            return false;
        }
        // A body the surface refused unread (too large, say) must not be read as the next request.
        return body.complete() || !head.expectsContinue() && body.discard(MAX_DISCARD);
    }

    private static @Nullable String oneModel(String path) {
        for (String prefix : ONE_MODEL) {
            if (path.startsWith(prefix) && path.length() > prefix.length()
                    && path.indexOf('/', prefix.length()) < 0) {
                return path.substring(prefix.length());
            }
        }
        return null;
    }

    private static @Nullable String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void error(ListenerAnswer answer, String path, ErrorKind kind, int status, String message)
            throws IOException {
        byte[] body = ErrorBodies.bytes(ErrorBodies.protocolOf(path), kind, message, null);
        Map<String, String> headers = new LinkedHashMap<>(2);
        headers.put("Content-Type", "application/json");
        if (status == 405) {
            headers.put("Allow", path.contains("/models") ? "GET" : "POST");
        }
        answer.begin(status, headers, body.length).write(body);
    }

    /** Answers a request that could not be read (and closes the connection after). */
    private static void refuse(OutputStream out, int status, String path, String message) {
        try {
            ListenerAnswer answer = new ListenerAnswer(out, true, false, () -> true);
            // Every refusal is the caller's (400, 408, 431, 501, 505), whatever its status class.
            error(answer, path, ErrorKind.INVALID_REQUEST, status, message);
            answer.finish();
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    private static void writeContinue(OutputStream out) throws IOException {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** An answer on this connection: the head goes out with the first write of the body, in the same packet. */
    private static final class ListenerAnswer implements Answer {
        private final OutputStream out;
        private final boolean http11;
        private final BooleanSupplier stopping;
        private boolean keepAlive;
        private boolean committed;
        private @Nullable ChunkedOutput chunked;

        /** {@code stopping}: asked when the answer begins, so one begun during a stop says it closes the connection. */
        ListenerAnswer(OutputStream out, boolean http11, boolean keepAlive, BooleanSupplier stopping) {
            this.out = out;
            this.http11 = http11;
            this.keepAlive = keepAlive;
            this.stopping = stopping;
        }

        @Override
        public boolean committed() {
            return committed;
        }

        boolean keepAlive() {
            return keepAlive;
        }

        @Override
        public OutputStream begin(int status, Map<String, String> headers, long contentLength) throws IOException {
            if (committed) {
                throw new IllegalStateException("the answer has already begun");
            }
            committed = true;
            if (stopping.getAsBoolean()) {
                keepAlive = false;
            }
            if (contentLength < 0 && !http11) {
                keepAlive = false; // HTTP/1.0 has no chunked coding: the body ends with the connection
            }
            StringBuilder head = new StringBuilder(256);
            head.append(http11 ? "HTTP/1.1 " : "HTTP/1.0 ").append(status).append(' ').append(reason(status))
                    .append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (contentLength >= 0) {
                head.append("Content-Length: ").append(contentLength).append("\r\n");
            } else if (http11) {
                head.append("Transfer-Encoding: chunked\r\n");
            }
            if (!keepAlive) {
                head.append("Connection: close\r\n");
            } else if (!http11) {
                head.append("Connection: keep-alive\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (contentLength < 0 && http11) {
                chunked = new ChunkedOutput(out);
                return chunked;
            }
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }
            };
        }

        /** Ends the body and sends what is buffered. */
        void finish() throws IOException {
            if (chunked != null) {
                chunked.finish();
            } else {
                out.flush();
            }
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 402 -> "Payment Required";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 408 -> "Request Timeout";
                case 413 -> "Content Too Large";
                case 415 -> "Unsupported Media Type";
                case 429 -> "Too Many Requests";
                case 431 -> "Request Header Fields Too Large";
                case 500 -> "Internal Server Error";
                case 501 -> "Not Implemented";
                case 502 -> "Bad Gateway";
                case 503 -> "Service Unavailable";
                case 504 -> "Gateway Timeout";
                case 505 -> "HTTP Version Not Supported";
                default -> "Status";
            };
        }
    }
}
