package dev.warden.gateway.surface;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Where the gateway writes its answer to one request: a servlet response, or a connection of the API listener. The
 * surfaces build the status, headers and body; an {@code Answer} only frames them for its transport.
 */
public interface Answer {
    /** Whether the status line has gone out, after which an error can no longer be answered as a status. */
    boolean committed();

    /**
     * Sends the status and headers (in the map's order) and returns the stream for the body. The caller writes the
     * body, flushes wherever the client must see what was written (each event of a stream), and does not close it.
     *
     * @param contentLength the body's exact length, or -1 for a body of unknown length (a stream of events)
     */
    OutputStream begin(int status, Map<String, String> headers, long contentLength) throws IOException;
}
