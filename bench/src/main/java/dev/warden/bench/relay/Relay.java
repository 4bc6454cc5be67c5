package dev.warden.bench.relay;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * The floor of any gateway on this machine: a do-nothing HTTP/1.1 relay. Each client connection gets one thread (a
 * platform thread by default, or a virtual one) and its own kept-alive connection to the upstream; every request is
 * forwarded byte for byte and its answer relayed as it arrives (Content-Length or chunked, so SSE events pass one by
 * one). It parses framing and nothing else: no authentication, no JSON, no record, no metrics.
 *
 * <p>The bench's {@code relay} target: what an extra process and two extra loopback hops cost on the same cores,
 * measured in the same run as the gateways. Whatever a gateway adds beyond the relay is the gateway's own work; what
 * the relay adds is the machine's price for any hop.
 */
public final class Relay implements Closeable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final ThreadFactory threads;
    /** The sockets open now, so that close() ends every connection. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /** Which threads serve the connections. */
    public enum Threads {
        PLATFORM, VIRTUAL;

        public static Threads parse(String option, String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "platform" -> PLATFORM;
                case "virtual" -> VIRTUAL;
                default -> throw new IllegalArgumentException(option + ": " + value + " (expected: platform or virtual)");
            };
        }

        public String flag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Relay(int port, InetSocketAddress upstream, Threads threads) throws IOException {
        this.server = new ServerSocket(port, 1024, InetAddress.getLoopbackAddress());
        this.upstream = upstream;
        this.threads = threads == Threads.VIRTUAL ? Thread.ofVirtual().name("relay-", 0).factory()
                : Thread.ofPlatform().name("relay-", 0).daemon(true).factory();
    }

    public int port() {
        return server.getLocalPort();
    }

    public Relay start() {
        Thread.ofPlatform().name("relay-accept").daemon(true).start(this::acceptLoop);
        return this;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                threads.newThread(() -> serve(client)).start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("relay: accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket client) {
        Socket up = new Socket();
        open.add(up);
        try (client; up) {
            up.connect(upstream, 5_000);
            client.setTcpNoDelay(true);
            up.setTcpNoDelay(true);
            Framing fromClient = new Framing(client.getInputStream());
            Framing fromUpstream = new Framing(up.getInputStream());
            // Buffered, flushed at the end of each message and after each chunk of an answer: one write per message
            // (or per chunk of a stream) whatever the framing code writes in between.
            OutputStream toUpstream = new BufferedOutputStream(up.getOutputStream(), 16 * 1024);
            OutputStream toClient = new BufferedOutputStream(client.getOutputStream(), 16 * 1024);
            while (true) {
                Head request = fromClient.head();
                if (request == null) {
                    return; // the client closed its kept-alive connection
                }
                toUpstream.write(request.bytes());
                fromClient.body(request, toUpstream, false);
                toUpstream.flush();
                Head answer = fromUpstream.head();
                if (answer == null) {
                    return;
                }
                toClient.write(answer.bytes());
                if (!fromUpstream.body(answer, toClient, true)) {
                    toClient.flush();
                    return; // read to the end of the connection: it cannot carry another answer
                }
                toClient.flush();
            }
        } catch (IOException e) {
            // A peer gone away: close both sides, as a proxy would.
        } finally {
            open.remove(client);
            open.remove(up);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
        }
    }

    /** A message head as read (start line and headers, CRLF CRLF included) and the framing it declares. */
    record Head(byte[] bytes, long contentLength, boolean chunked) {
        static Head parse(byte[] bytes) throws IOException {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            long length = -1;
            boolean chunked = false;
            for (String line : text.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + value);
                    }
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                }
            }
            return new Head(bytes, length, chunked);
        }
    }

    /** Buffered reading of HTTP/1.1 framing from one side of the relay. */
    static final class Framing {
        private final InputStream in;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int limit;

        Framing(InputStream in) {
            this.in = in;
        }

        /** The next head, or null at a clean end of stream before one starts. */
        Head head() throws IOException {
            int start = pos;
            int scanned = pos;
            while (true) {
                for (int i = Math.max(scanned, start + 3); i < limit; i++) {
                    if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                        byte[] head = Arrays.copyOfRange(buf, start, i + 1);
                        pos = i + 1;
                        return Head.parse(head);
                    }
                }
                scanned = limit;
                if (start > 0) { // keep the partial head at the front of the buffer
                    System.arraycopy(buf, start, buf, 0, limit - start);
                    scanned -= start;
                    limit -= start;
                    start = 0;
                    pos = 0;
                }
                if (limit == buf.length) {
                    throw new IOException("head larger than " + buf.length + " bytes");
                }
                int n = in.read(buf, limit, buf.length - limit);
                if (n < 0) {
                    if (limit == start) {
                        return null;
                    }
                    throw new IOException("end of stream inside a head");
                }
                limit += n;
            }
        }

        /**
         * Copies the body the head declares; flushes after each chunk when asked (streams). Returns false when the body
         * ran to the end of the connection (no length, not chunked, on an answer).
         */
        boolean body(Head head, OutputStream out, boolean answer) throws IOException {
            if (head.chunked()) {
                while (true) {
                    String sizeLine = line(out);
                    int semi = sizeLine.indexOf(';');
                    long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                    if (size == 0) {
                        while (!line(out).isEmpty()) {
                            // trailer fields, relayed as they are
                        }
                        return true;
                    }
                    copy(size + 2, out); // the chunk and its CRLF
                    if (answer) {
                        out.flush();
                    }
                }
            }
            if (head.contentLength() >= 0) {
                copy(head.contentLength(), out);
                return true;
            }
            if (!answer) {
                return true; // a request without a length has no body
            }
            while (true) { // an answer framed by the end of the connection
                if (pos == limit && !fill()) {
                    return false;
                }
                out.write(buf, pos, limit - pos);
                pos = limit;
            }
        }

        /** Reads one CRLF-terminated line, relays it with its CRLF, and returns it without. */
        private String line(OutputStream out) throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (pos == limit && !fill()) {
                    throw new IOException("end of stream inside chunk framing");
                }
                byte b = buf[pos++];
                out.write(b);
                if (b == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                if (line.length() > 4096) {
                    throw new IOException("chunk line too long");
                }
                line.append((char) (b & 0xff));
            }
        }

        private void copy(long n, OutputStream out) throws IOException {
            while (n > 0) {
                if (pos == limit && !fill()) {
                    throw new IOException("end of stream inside a body");
                }
                int take = (int) Math.min(n, limit - pos);
                out.write(buf, pos, take);
                pos += take;
                n -= take;
            }
        }

        private boolean fill() throws IOException {
            pos = 0;
            limit = 0;
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                return false;
            }
            limit = n;
            return true;
        }
    }
}
