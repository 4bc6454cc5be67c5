package dev.warden.bench.load;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The NIO engine's response reader: the same "just enough" HTTP/1.1 parsing as {@link HttpConnection} (status, the
 * end of the response from Content-Length, chunked framing or close, one named header, the moment the first SSE
 * {@code data:} line arrives), but fed whatever bytes each non-blocking read returned, so a response may arrive in any
 * number of pieces split anywhere. Headers are matched on bytes; no per-byte allocation.
 *
 * <p>Not thread-safe: one connection, one event loop.
 */
final class ResponseParser {
    private static final int STATUS = 0;
    private static final int HEADERS = 1;
    private static final int BODY = 2;
    private static final int BODY_TO_EOF = 3;
    private static final int CHUNK_SIZE = 4;
    private static final int CHUNK_DATA = 5;
    private static final int CHUNK_END = 6;
    private static final int TRAILERS = 7;
    private static final int DONE = 8;

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = bytes("transfer-encoding");
    private static final byte[] CONNECTION = bytes("connection");
    private static final byte[] CONTENT_TYPE = bytes("content-type");

    private final byte[] overheadHeader;
    private final byte[] line = new byte[16 * 1024];
    private int lineLength;
    private int state;
    private long remaining;
    private int matched;

    private int status;
    private long contentLength;
    private boolean chunked;
    private boolean close;
    private boolean eventStream;
    private double overheadMs;
    private long firstData;
    private long end;

    ResponseParser(String overheadHeader) {
        this.overheadHeader = bytes(overheadHeader);
        reset();
    }

    /** Ready for the next response on the connection. */
    void reset() {
        state = STATUS;
        lineLength = 0;
        remaining = 0;
        matched = 0;
        status = 0;
        contentLength = -1;
        chunked = false;
        close = false;
        eventStream = false;
        overheadMs = Double.NaN;
        firstData = 0;
        end = 0;
    }

    boolean done() {
        return state == DONE;
    }

    int status() {
        return status;
    }

    /** When the first SSE {@code data:} arrived, or the end of the response if it was not an event stream. */
    long firstDataNanos() {
        return firstData == 0 ? end : firstData;
    }

    long endNanos() {
        return end;
    }

    double overheadMs() {
        return overheadMs;
    }

    /** The server will close (or has closed) the connection after this response. */
    boolean closeAfter() {
        return close;
    }

    /**
     * Parses {@code len} bytes that arrived at {@code now}; returns how many belong to this response (all of them,
     * unless the response ended before the last one).
     */
    int feed(byte[] b, int off, int len, long now) throws IOException {
        int i = off;
        int limit = off + len;
        while (i < limit && state != DONE) {
            switch (state) {
                case BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, limit - i);
                    scan(b, i, n, now);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == BODY) {
                            finish(now);
                        } else {
                            state = CHUNK_END;
                        }
                    }
                }
                case BODY_TO_EOF -> {
                    scan(b, i, limit - i, now);
                    i = limit;
                }
                default -> { // a line: status, header, chunk size, chunk end, trailer
                    int nl = i;
                    while (nl < limit && b[nl] != '\n') {
                        nl++;
                    }
                    int n = nl - i;
                    if (lineLength + n > line.length) {
                        throw new IOException("header line longer than " + line.length + " bytes");
                    }
                    System.arraycopy(b, i, line, lineLength, n);
                    lineLength += n;
                    i = nl;
                    if (nl < limit) {
                        i++;
                        int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                        lineLength = 0;
                        line(length, now);
                    }
                }
            }
        }
        return i - off;
    }

    /** The connection reached end of stream: the end of a close-delimited body, otherwise a failure. */
    void eof(long now) throws EOFException {
        if (state == BODY_TO_EOF) {
            finish(now);
        } else if (state != DONE) {
            throw new EOFException(state == BODY || state == CHUNK_DATA ? "body ended early" : "connection closed");
        }
    }

    private void line(int length, long now) throws IOException {
        switch (state) {
            case STATUS -> {
                if (length < 12) {
                    throw new EOFException("no status line");
                }
                status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
                state = HEADERS;
            }
            case HEADERS -> {
                if (length > 0) {
                    header(length);
                } else if (chunked) {
                    state = CHUNK_SIZE;
                } else if (status == 204 || status == 304) {
                    finish(now);
                } else if (contentLength == 0) {
                    finish(now);
                } else if (contentLength > 0) {
                    remaining = contentLength;
                    state = BODY;
                } else {
                    close = true; // no length: the body runs until the server closes the connection
                    state = BODY_TO_EOF;
                }
            }
            case CHUNK_SIZE -> {
                if (length == 0) {
                    return; // tolerated, as the blocking client does
                }
                long size = chunkSize(length);
                if (size == 0) {
                    state = TRAILERS;
                } else {
                    remaining = size;
                    state = CHUNK_DATA;
                }
            }
            case CHUNK_END -> state = CHUNK_SIZE; // the CRLF after a chunk's data
            case TRAILERS -> {
                if (length == 0) {
                    finish(now);
                }
            }
            default -> throw new IllegalStateException("state " + state);
        }
    }

    private void header(int length) {
        int colon = -1;
        for (int i = 0; i < length; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            return;
        }
        int nameStart = skipSpace(0, colon);
        int nameEnd = trimEnd(nameStart, colon);
        int valueStart = skipSpace(colon + 1, length);
        int valueEnd = trimEnd(valueStart, length);
        if (is(CONTENT_LENGTH, nameStart, nameEnd)) {
            contentLength = Long.parseLong(ascii(valueStart, valueEnd));
        } else if (is(TRANSFER_ENCODING, nameStart, nameEnd)) {
            chunked = ascii(valueStart, valueEnd).toLowerCase(java.util.Locale.ROOT).contains("chunked");
        } else if (is(CONNECTION, nameStart, nameEnd)) {
            close = ascii(valueStart, valueEnd).equalsIgnoreCase("close");
        } else if (is(CONTENT_TYPE, nameStart, nameEnd)) {
            eventStream = ascii(valueStart, valueEnd).startsWith("text/event-stream");
        } else if (is(overheadHeader, nameStart, nameEnd)) {
            try {
                overheadMs = Double.parseDouble(ascii(valueStart, valueEnd));
            } catch (NumberFormatException ignored) {
                // A malformed header is the gateway's problem to report, not a reason to fail the request.
            }
        }
    }

    private long chunkSize(int length) {
        int endOfSize = length;
        for (int i = 0; i < length; i++) {
            if (line[i] == ';') {
                endOfSize = i;
                break;
            }
        }
        int from = skipSpace(0, endOfSize);
        int to = trimEnd(from, endOfSize);
        if (from == to || to - from > 15) {
            throw new NumberFormatException("chunk size: " + ascii(0, length));
        }
        long size = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(line[i], 16);
            if (d < 0) {
                throw new NumberFormatException("chunk size: " + ascii(0, length));
            }
            size = size * 16 + d;
        }
        return size;
    }

    /** Spots the first {@code data:} of an event stream, even when it straddles two reads. */
    private void scan(byte[] b, int off, int len, long now) {
        if (!eventStream || firstData != 0) {
            return;
        }
        for (int i = off; i < off + len; i++) {
            matched = b[i] == DATA[matched] ? matched + 1 : (b[i] == DATA[0] ? 1 : 0);
            if (matched == DATA.length) {
                firstData = now;
                return;
            }
        }
    }

    private void finish(long now) {
        end = now;
        state = DONE;
    }

    private boolean is(byte[] lowerCaseName, int from, int to) {
        if (to - from != lowerCaseName.length) {
            return false;
        }
        for (int i = 0; i < lowerCaseName.length; i++) {
            byte c = line[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerCaseName[i]) {
                return false;
            }
        }
        return true;
    }

    private int skipSpace(int from, int to) {
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        return from;
    }

    private int trimEnd(int from, int to) {
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    private String ascii(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }
}
