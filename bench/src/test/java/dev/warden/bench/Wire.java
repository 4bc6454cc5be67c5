package dev.warden.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading raw HTTP/1.1 off a socket in the harness's tests. */
public final class Wire {
    private Wire() {
    }

    /** Reads byte by byte into {@code out} until {@code end} has been read; returns everything read. */
    public static String readUntil(InputStream in, ByteArrayOutputStream out, String end) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.length() < end.length() || !seen.substring(seen.length() - end.length()).equals(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + seen);
            }
            out.write(b);
            seen.append((char) b);
        }
        return seen.toString();
    }
}
