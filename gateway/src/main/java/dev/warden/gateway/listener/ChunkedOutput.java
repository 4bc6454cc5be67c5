package dev.warden.gateway.listener;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A body of unknown length in chunked transfer coding: what is written between two flushes leaves as one chunk, so
 * each server-sent event the surfaces flush reaches the client at once and nothing is split into tiny chunks.
 */
final class ChunkedOutput extends OutputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private byte[] buffer = new byte[4096];
    private int size;
    private boolean finished;

    ChunkedOutput(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len >= 64 * 1024) {
            chunk(); // a large write goes out as its own chunk, without growing the buffer to its size
            writeChunk(b, off, len);
            return;
        }
        ensure(len);
        System.arraycopy(b, off, buffer, size, len);
        size += len;
    }

    @Override
    public void flush() throws IOException {
        chunk();
        out.flush();
    }

    /** Ends the body with the last (empty) chunk; the connection's stream is flushed, not closed. */
    void finish() throws IOException {
        if (!finished) {
            finished = true;
            chunk();
            out.write(LAST);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        finish();
    }

    private void ensure(int more) throws IOException {
        if (finished) {
            throw new IOException("the body has ended");
        }
        if (size + more > buffer.length) {
            if (size + more <= 64 * 1024) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            } else {
                chunk();
            }
        }
    }

    private void chunk() throws IOException {
        if (size > 0) {
            writeChunk(buffer, 0, size);
            size = 0;
        }
    }

    private void writeChunk(byte[] b, int off, int len) throws IOException {
        out.write(Integer.toHexString(len).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
        out.write(b, off, len);
        out.write(CRLF);
    }
}
