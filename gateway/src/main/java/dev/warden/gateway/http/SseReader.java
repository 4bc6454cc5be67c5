package dev.warden.gateway.http;

import dev.warden.gateway.pipeline.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads server-sent events from a byte stream (the WHATWG event-stream format: {@code event:} and {@code data:}
 * fields, blank-line terminated, comments ignored, LF or CRLF line ends). Bounded: a single line longer than
 * {@link #MAX_LINE} bytes is a protocol error, not an out-of-memory.
 */
public final class SseReader {
    static final int MAX_LINE = 16 * 1024 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    public SseReader(InputStream in) {
        this.in = in;
    }

    /** The next event, or null at the end of the stream. */
    public @Nullable SseEvent next() throws IOException {
        String event = null;
        StringBuilder data = null;
        while (true) {
            String text = readLine();
            if (text == null) {
                return data == null ? null : new SseEvent(event, data.toString());
            }
            if (text.isEmpty()) {
                if (data != null) {
                    return new SseEvent(event, data.toString());
                }
                event = null; // an event with no data is dispatched as nothing
                continue;
            }
            if (text.charAt(0) == ':') {
                continue;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value.length());
                    } else {
                        data.append('\n');
                    }
                    data.append(value);
                }
                default -> {
                    // id and retry carry nothing the gateway needs
                }
            }
        }
    }

    /**
     * Whether a whole event (with at least one {@code data} line, ended by a blank line) is already in the buffer, so
     * {@link #next} returns it without reading from the stream. Between calls to {@code next} the buffer always starts
     * at the beginning of a line.
     */
    public boolean hasBufferedEvent() {
        boolean data = false;
        int lineStart = position;
        for (int i = position; i < limit; i++) {
            if (buffer[i] != '\n') {
                continue;
            }
            int length = i - lineStart;
            if (length > 0 && buffer[i - 1] == '\r') {
                length--;
            }
            if (length == 0) {
                if (data) {
                    return true;
                }
            } else if (length >= 4 && buffer[lineStart] == 'd' && buffer[lineStart + 1] == 'a'
                    && buffer[lineStart + 2] == 't' && buffer[lineStart + 3] == 'a'
                    && (length == 4 || buffer[lineStart + 4] == ':')) {
                data = true;
            }
            lineStart = i + 1;
        }
        return false;
    }

    private @Nullable String readLine() throws IOException {
        line.reset();
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
            }
            int start = position;
            while (position < limit) {
                byte b = buffer[position];
                if (b == '\n') {
                    int end = position;
                    position++;
                    line.write(buffer, start, end - start);
                    return stripCr(line);
                }
                position++;
            }
            line.write(buffer, start, position - start);
            if (line.size() > MAX_LINE) {
                throw new IOException("event stream line longer than " + MAX_LINE + " bytes");
            }
        }
    }

    private static String stripCr(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
