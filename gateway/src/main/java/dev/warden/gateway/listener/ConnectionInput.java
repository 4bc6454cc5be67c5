package dev.warden.gateway.listener;

import dev.warden.gateway.http.ChunkedDecoder;
import dev.warden.gateway.http.Watchdog;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The read side of one connection: request heads, then each request's body as a stream that ends where the body
 * ends (Content-Length or chunked), so the next request on the connection is read from where it begins.
 */
final class ConnectionInput {
    private final Socket socket;
    private final InputStream in;
    private final int maxHeadBytes;
    private final Watchdog watchdog;
    private byte[] buffer = new byte[8192];
    private int pos;
    private int limit;

    /**
     * Waits are bounded by {@code watchdog}, not by socket timeouts: a timed read switches a JDK socket to
     * non-blocking mode for good, after which every read on a platform thread costs a failed read, a poll and a read
     * instead of one blocking read.
     */
    ConnectionInput(Socket socket, int maxHeadBytes, Watchdog watchdog) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.maxHeadBytes = maxHeadBytes;
        this.watchdog = watchdog;
    }

    /**
     * Reads the next request head, waiting up to {@code idleMillis} for its first byte and then at most
     * {@code headMillis} for the whole head (a client that drips a byte at a time cannot hold a thread longer).
     *
     * @return null when the client closed the connection (or stayed idle) between requests
     */
    @Nullable RequestHead readHead(int idleMillis, int headMillis) throws IOException, RequestHead.Malformed {
        if (pos == limit) {
            pos = 0;
            limit = 0;
            Watchdog.Watch idle = watchdog.watch(idleMillis * 1_000_000L, this::close);
            try {
                if (fill() < 0) {
                    return null;
                }
            } catch (IOException e) {
                if (idle.expired()) {
                    return null;
                }
                throw e;
            } finally {
                idle.stop();
            }
        }
        // Never touched, so it fires headMillis from now however the bytes trickle in. It shuts the input only:
        // the blocked read ends and the 408 can still be written.
        Watchdog.Watch deadline = watchdog.watch(headMillis * 1_000_000L, this::shutdownInput);
        try {
            int scanned = pos;
            while (true) {
                int end = headEnd(scanned);
                if (end >= 0) {
                    RequestHead head = RequestHead.parse(buffer, pos, end);
                    pos = end;
                    return head;
                }
                scanned = Math.max(pos, limit - 3);
                if (limit - pos >= maxHeadBytes) {
                    throw new RequestHead.Malformed(431, "request head larger than " + maxHeadBytes + " bytes");
                }
                int n;
                try {
                    n = fill();
                } catch (IOException e) {
                    if (deadline.expired()) {
                        n = -1;
                    } else {
                        throw e;
                    }
                }
                if (n < 0) {
                    if (deadline.expired()) {
                        throw new RequestHead.Malformed(408, "request head not received within " + headMillis
                                + " ms");
                    }
                    throw new EOFException("connection closed in the middle of a request head");
                }
            }
        } finally {
            deadline.stop();
        }
    }

    private void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the blocked read ends either way
        }
    }

    private void shutdownInput() {
        try {
            socket.shutdownInput();
        } catch (IOException ignored) {
            // already closed: the blocked read ends either way
        }
    }

    /** The index just past the empty line that ends a head (LF LF or CRLF CRLF), or -1. */
    private int headEnd(int from) {
        for (int i = Math.max(from, pos); i < limit; i++) {
            if (buffer[i] == '\n') {
                if (i + 1 < limit && buffer[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < limit && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** Reads more into the buffer (compacting or growing it); -1 at end of stream. */
    private int fill() throws IOException {
        if (limit == buffer.length) {
            if (pos > 0) {
                System.arraycopy(buffer, pos, buffer, 0, limit - pos);
                limit -= pos;
                pos = 0;
            } else {
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxHeadBytes + 8192));
            }
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    /**
     * The body of the request whose head was just read: {@code length} bytes, or chunked when -1. Reading it past
     * its end returns -1; {@link Body#complete()} tells whether it was read to its end, so the connection knows
     * whether the next request can be read.
     */
    Body body(long length, BeforeRead beforeFirstRead, int readMillis) {
        long readNanos = readMillis * 1_000_000L;
        return length >= 0 ? new FixedBody(length, beforeFirstRead, readNanos)
                : new ChunkedBody(beforeFirstRead, readNanos);
    }

    /** Reads more of a body, each wait bounded by {@code readNanos}; -1 at end of stream. */
    private int readBody(byte[] into, int off, int len, long readNanos) throws IOException {
        if (pos == limit) {
            if (len >= buffer.length) {
                return watched(readNanos, () -> in.read(into, off, len)); // straight into the caller's array
            }
            if (watched(readNanos, this::refill) < 0) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buffer, pos, into, off, n);
        pos += n;
        return n;
    }

    private int readBodyByte(long readNanos) throws IOException {
        if (pos == limit && watched(readNanos, this::refill) < 0) {
            return -1;
        }
        return buffer[pos++] & 0xff;
    }

    private int refill() throws IOException {
        pos = 0;
        limit = 0;
        return fill();
    }

    /** A read of the connection that may wait. */
    @FunctionalInterface
    private interface Read {
        int read() throws IOException;
    }

    /**
     * Runs {@code read}, shutting the input if it waits longer than {@code readNanos}; a read cut off that way
     * fails with {@link SocketTimeoutException} rather than looking like the end of the stream.
     */
    private int watched(long readNanos, Read read) throws IOException {
        Watchdog.Watch watch = watchdog.watch(readNanos, this::shutdownInput);
        try {
            int n = read.read();
            if (n < 0 && watch.expired()) {
                throw new SocketTimeoutException("no body bytes within " + readNanos / 1_000_000 + " ms");
            }
            return n;
        } catch (IOException e) {
            if (watch.expired() && !(e instanceof SocketTimeoutException)) {
                throw new SocketTimeoutException("no body bytes within " + readNanos / 1_000_000 + " ms");
            }
            throw e;
        } finally {
            watch.stop();
        }
    }

    /** Runs before the first byte of a body is read: sends {@code 100 Continue} when the client waits for it. */
    @FunctionalInterface
    interface BeforeRead {
        void run() throws IOException;
    }

    abstract static class Body extends InputStream {
        private @Nullable BeforeRead beforeFirstRead;
        private boolean failed;

        Body(BeforeRead beforeFirstRead) {
            this.beforeFirstRead = beforeFirstRead;
        }

        /** Whether the whole body has been read. */
        abstract boolean complete();

        /**
         * Whether a read failed (malformed chunked coding, the connection closed early, a timeout): where the body
         * ends is then unknown, so nothing after it on the connection can be read as a request.
         */
        boolean failed() {
            return failed;
        }

        /** Reads up to {@code len} bytes of the body, or -1 at its end. */
        abstract int readPart(byte[] into, int off, int len) throws IOException;

        @Override
        public final int read(byte[] into, int off, int len) throws IOException {
            if (failed) {
                throw new IOException("the request body could not be read");
            }
            try {
                return readPart(into, off, len);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        /** Reads and discards what is left of the body, up to {@code max} bytes; whether it is now complete. */
        boolean discard(long max) throws IOException {
            if (failed) {
                return false;
            }
            byte[] scratch = new byte[4096];
            long left = max;
            while (!complete() && left > 0) {
                int n = read(scratch, 0, (int) Math.min(scratch.length, left));
                if (n < 0) {
                    return false;
                }
                left -= n;
            }
            return complete();
        }

        final void started() throws IOException {
            BeforeRead before = beforeFirstRead;
            if (before != null) {
                beforeFirstRead = null;
                before.run();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public void close() {
            // The connection stays open: what is left of the body is dealt with before the next request.
        }
    }

    private final class FixedBody extends Body {
        private final long readNanos;
        private long remaining;

        FixedBody(long length, BeforeRead beforeFirstRead, long readNanos) {
            super(beforeFirstRead);
            this.remaining = length;
            this.readNanos = readNanos;
        }

        @Override
        boolean complete() {
            return remaining == 0;
        }

        @Override
        int readPart(byte[] into, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            started();
            int n = readBody(into, off, (int) Math.min(len, remaining), readNanos);
            if (n < 0) {
                throw new EOFException("connection closed with " + remaining + " bytes of the body unread");
            }
            remaining -= n;
            return n;
        }
    }

    /** A chunked request body, decoded by {@link ChunkedDecoder} from this connection's reads. */
    private final class ChunkedBody extends Body {
        private static final int MAX_LINE = 4096;
        private final long readNanos;
        private final ChunkedDecoder decoder = new ChunkedDecoder(new ChunkedDecoder.Source() {
            @Override
            public int read(byte[] into, int off, int len) throws IOException {
                return readBody(into, off, len, readNanos); // each read bounded by the read timeout
            }

            @Override
            public String line() throws IOException {
                return ChunkedBody.this.line();
            }
        });

        ChunkedBody(BeforeRead beforeFirstRead, long readNanos) {
            super(beforeFirstRead);
            this.readNanos = readNanos;
        }

        @Override
        boolean complete() {
            return decoder.done();
        }

        @Override
        int readPart(byte[] into, int off, int len) throws IOException {
            if (decoder.done()) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            started();
            return decoder.read(into, off, len);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(16);
            while (true) {
                int b = readBodyByte(readNanos);
                if (b < 0) {
                    throw new EOFException("connection closed in the middle of a chunked body");
                }
                if (b == '\n') {
                    int length = line.length();
                    if (length > 0 && line.charAt(length - 1) == '\r') {
                        line.setLength(length - 1);
                    }
                    return line.toString();
                }
                if (line.length() >= MAX_LINE) {
                    throw new IOException("chunk line longer than " + MAX_LINE + " bytes");
                }
                line.append((char) b);
            }
        }
    }
}
