package dev.warden.gateway.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;

/**
 * Decodes a body in chunked transfer coding (RFC 9112 7.1) from a connection's reads: chunk sizes in hex, chunk
 * extensions ignored, trailer fields read and dropped. Used for request bodies on the API listener and for answers
 * of providers; each side supplies its own buffered reads and line reader (with its own limits and timeouts).
 */
public final class ChunkedDecoder {
    /** Trailer fields do not count toward a body's size limit, so their number has a limit of its own. */
    static final int MAX_TRAILERS = 100;
    /** The coded bytes: reads from the connection's buffer, and one line at a time without its line break. */
    public interface Source {
        /** Reads up to {@code len} bytes; -1 at the end of the connection. */
        int read(byte[] into, int off, int len) throws IOException;

        /** The next line without its CRLF (or LF); fails if the connection ends first or the line is too long. */
        String line() throws IOException;
    }

    private final Source source;
    private long chunkLeft;
    private boolean done;

    public ChunkedDecoder(Source source) {
        this.source = source;
    }

    /** Whether the last chunk and the trailers have been read. */
    public boolean done() {
        return done;
    }

    /** Reads up to {@code len} bytes of the body; -1 once it has ended. */
    public int read(byte[] into, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (chunkLeft == 0) {
            chunkLeft = chunkSize();
            if (chunkLeft == 0) {
                int trailers = 0;
                for (String trailer = source.line(); !trailer.isEmpty(); trailer = source.line()) {
                    // trailer fields carry nothing the gateway uses
                    if (++trailers > MAX_TRAILERS) {
                        throw new ProtocolException("more than " + MAX_TRAILERS
                                + " trailer fields after a chunked body");
                    }
                }
                done = true;
                return -1;
            }
        }
        int n = source.read(into, off, (int) Math.min(len, chunkLeft));
        if (n < 0) {
            throw new EOFException("the connection closed inside a chunk");
        }
        chunkLeft -= n;
        if (chunkLeft == 0 && !source.line().isEmpty()) {
            throw new ProtocolException("malformed chunked body: a chunk not followed by its line break");
        }
        return n;
    }

    private long chunkSize() throws IOException {
        String line = source.line();
        int semicolon = line.indexOf(';'); // chunk extensions are ignored
        String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
        if (!hex.isEmpty() && hex.length() <= 15) {
            try {
                long size = Long.parseLong(hex, 16);
                if (size >= 0) {
                    return size;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new ProtocolException("malformed chunk size: '" + hex.substring(0, Math.min(20, hex.length())) + "'");
    }
}
