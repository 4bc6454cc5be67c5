package dev.warden.bench.load;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection with a deliberately tiny client: the request bytes are prepared once, and the
 * response is parsed just enough to find its end (Content-Length, chunked, or close), the status, one named header and
 * the moment the first SSE {@code data:} line arrives. A general-purpose client (JDK HttpClient, Netty) would spend
 * more CPU than the gateways it measures on a 2-core box; this one costs a few microseconds a request.
 *
 * <p>Not thread-safe: one worker owns it.
 */
final class HttpConnection implements Closeable {

    /** What one exchange produced; times are {@link System#nanoTime()} values. */
    record Response(int status, long firstDataNanos, long endNanos, double overheadMs) {
    }

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress address;
    private final String overheadHeader;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] line = new byte[16 * 1024];
    private final byte[] buffer = new byte[64 * 1024];

    HttpConnection(InetSocketAddress address, String overheadHeader, int timeoutMillis) {
        this.address = address;
        this.overheadHeader = overheadHeader;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Sends {@code request} and reads the whole response. Reconnects once if a kept-alive connection turned out to be
     * closed by the server before this request was written.
     */
    Response exchange(byte[] request) throws IOException {
        boolean fresh = socket == null;
        if (fresh) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            return read();
        } catch (java.net.SocketTimeoutException e) {
            close();
            throw e;
        } catch (IOException e) {
            close();
            if (fresh) {
                throw e;
            }
            connect();
            out.write(request);
            out.flush();
            return read();
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMillis);
        s.connect(address, timeoutMillis);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
        out = s.getOutputStream();
    }

    private Response read() throws IOException {
        int n = readLine();
        if (n < 12) {
            throw new EOFException("no status line");
        }
        int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        long contentLength = -1;
        boolean chunked = false;
        boolean close = false;
        boolean eventStream = false;
        double overheadMs = Double.NaN;
        while ((n = readLine()) > 0) {
            String header = new String(line, 0, n, StandardCharsets.ISO_8859_1);
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = value.toLowerCase().contains("chunked");
            } else if (name.equalsIgnoreCase("connection")) {
                close = value.equalsIgnoreCase("close");
            } else if (name.equalsIgnoreCase("content-type")) {
                eventStream = value.startsWith("text/event-stream");
            } else if (name.equalsIgnoreCase(overheadHeader)) {
                try {
                    overheadMs = Double.parseDouble(value);
                } catch (NumberFormatException ignored) {
                    // A malformed header is the gateway's problem to report, not a reason to fail the request.
                }
            }
        }
        DataWatch watch = new DataWatch(eventStream);
        if (chunked) {
            while (true) {
                n = readLine();
                if (n == 0) {
                    continue;
                }
                String size = new String(line, 0, n, StandardCharsets.ISO_8859_1);
                int semi = size.indexOf(';');
                long chunk = Long.parseLong(semi < 0 ? size.trim() : size.substring(0, semi).trim(), 16);
                if (chunk == 0) {
                    while (readLine() > 0) {
                        // trailers
                    }
                    break;
                }
                readBody(chunk, watch);
                readLine(); // CRLF after the chunk
            }
        } else if (contentLength >= 0) {
            readBody(contentLength, watch);
        } else {
            readBody(Long.MAX_VALUE, watch); // until EOF
            close = true;
        }
        long end = System.nanoTime();
        if (close) {
            close();
        }
        return new Response(status, watch.firstData == 0 ? end : watch.firstData, end, overheadMs);
    }

    /** Spots the first {@code data:} of an event stream, even when it straddles two reads. */
    private static final class DataWatch {
        final boolean active;
        long firstData;
        int matched;

        DataWatch(boolean active) {
            this.active = active;
        }

        void scan(byte[] b, int off, int len) {
            if (!active || firstData != 0) {
                return;
            }
            for (int i = off; i < off + len; i++) {
                matched = b[i] == DATA[matched] ? matched + 1 : (b[i] == DATA[0] ? 1 : 0);
                if (matched == DATA.length) {
                    firstData = System.nanoTime();
                    return;
                }
            }
        }
    }

    private void readBody(long length, DataWatch watch) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (r < 0) {
                if (length == Long.MAX_VALUE) {
                    return;
                }
                throw new EOFException("body ended early");
            }
            watch.scan(buffer, 0, r);
            remaining -= r;
        }
    }

    /** Reads one CRLF-terminated line into {@link #line}, returning its length without the CRLF. */
    private int readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b == '\n') {
                return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
            }
            if (n == line.length) {
                throw new IOException("header line longer than " + line.length + " bytes");
            }
            line[n++] = (byte) b;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken socket has nothing left to report
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
