package dev.warden.gateway.listener;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed HTTP/1.1 request line and header block. Parsing is strict where leniency lets one request be read two
 * ways by two hops (request smuggling): no white space before a header's colon, no folded lines, no control
 * characters, and the body framing is decided here once ({@link #framing()}).
 *
 * @param headers by lower-case name, values in arrival order
 */
record RequestHead(String method, String target, boolean http11, Map<String, List<String>> headers) {
    static final int MAX_HEADERS = 200;

    /** A request the listener refuses before reading its body: answered with {@code status}, then closed. */
    static final class Malformed extends Exception {
        private final int status;

        Malformed(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** How the body is delimited: its length (0 for none), or -1 when chunked. */
    long framing() throws Malformed {
        List<String> encodings = headers.get("transfer-encoding");
        List<String> lengths = headers.get("content-length");
        if (encodings != null) {
            if (lengths != null) {
                throw new Malformed(400, "both Transfer-Encoding and Content-Length (expected: one of them)");
            }
            if (encodings.size() != 1 || !"chunked".equalsIgnoreCase(encodings.get(0).trim())) {
                throw new Malformed(501, "Transfer-Encoding: " + String.join(", ", encodings)
                        + " (expected: chunked)");
            }
            if (!http11) {
                throw new Malformed(400, "Transfer-Encoding on an HTTP/1.0 request");
            }
            return -1;
        }
        if (lengths == null) {
            return 0;
        }
        long length = -1;
        for (String value : lengths) {
            long parsed = parseLength(value.trim());
            if (parsed < 0 || length >= 0 && parsed != length) {
                throw new Malformed(400, "Content-Length: " + String.join(", ", lengths)
                        + " (expected: one non-negative number)");
            }
            length = parsed;
        }
        return length;
    }

    /** Whether the caller asked to close the connection after this request (on HTTP/1.0: did not ask to keep it). */
    boolean wantsClose() {
        List<String> values = headers.get("connection");
        boolean close = false;
        boolean keepAlive = false;
        if (values != null) {
            for (String value : values) {
                for (String token : value.split(",")) {
                    String t = token.trim().toLowerCase(Locale.ROOT);
                    close |= t.equals("close");
                    keepAlive |= t.equals("keep-alive");
                }
            }
        }
        return close || !http11 && !keepAlive;
    }

    boolean expectsContinue() {
        List<String> values = headers.get("expect");
        return http11 && values != null && values.size() == 1 && "100-continue".equalsIgnoreCase(values.get(0).trim());
    }

    /** The path without the query string. */
    String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    private static long parseLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    /**
     * Parses the head in {@code bytes[from, to)}, which ends with its empty line (CRLF CRLF, or bare LFs, which the
     * RFC allows a recipient to accept). Reads the buffer in place: no copy of the head, no list of lines.
     */
    static RequestHead parse(byte[] bytes, int from, int to) throws Malformed {
        int start = from;
        String requestLine = "";
        while (start < to) {
            int end = lineEnd(bytes, start, to);
            requestLine = text(bytes, start, end);
            start = next(bytes, end, to);
            if (!requestLine.isEmpty()) {
                break; // RFC 9112 2.2: empty lines before the request line are ignored
            }
        }
        int sp1 = requestLine.indexOf(' ');
        int sp2 = requestLine.lastIndexOf(' ');
        if (sp1 <= 0 || sp2 == sp1) {
            throw new Malformed(400, "malformed request line (expected: METHOD target HTTP/1.1)");
        }
        String method = requestLine.substring(0, sp1);
        String target = requestLine.substring(sp1 + 1, sp2);
        String version = requestLine.substring(sp2 + 1);
        if (!isToken(method, 0, method.length()) || target.isEmpty() || target.indexOf(' ') >= 0
                || target.charAt(0) != '/') {
            throw new Malformed(400, "malformed request line (expected: METHOD /path HTTP/1.1)");
        }
        boolean http11;
        if (version.equals("HTTP/1.1")) {
            http11 = true;
        } else if (version.equals("HTTP/1.0")) {
            http11 = false;
        } else if (version.startsWith("HTTP/")) {
            throw new Malformed(505, "HTTP version " + version + " (expected: HTTP/1.1 or HTTP/1.0)");
        } else {
            throw new Malformed(400, "malformed request line (expected: METHOD /path HTTP/1.1)");
        }
        Map<String, List<String>> headers = new HashMap<>(32);
        int count = 0;
        while (start < to) {
            int end = lineEnd(bytes, start, to);
            if (end == start) {
                break; // the empty line that ends the head
            }
            if (++count > MAX_HEADERS) {
                throw new Malformed(431, "more than " + MAX_HEADERS + " header fields");
            }
            if (bytes[start] == ' ' || bytes[start] == '\t') {
                throw new Malformed(400, "folded header line (obsolete line folding is not accepted)");
            }
            int colon = start;
            while (colon < end && bytes[colon] != ':') {
                colon++;
            }
            if (colon == start || colon == end || !isToken(bytes, start, colon)) {
                throw new Malformed(400, "malformed header field (expected: name: value)");
            }
            String name = lowerCase(bytes, start, colon);
            String value = text(bytes, colon + 1, end).strip();
            List<String> values = headers.get(name);
            if (values == null) {
                headers.put(name, List.of(value)); // nearly every header: one value, no list to grow
            } else {
                List<String> more = new ArrayList<>(values.size() + 1);
                more.addAll(values);
                more.add(value);
                headers.put(name, List.copyOf(more));
            }
            start = next(bytes, end, to);
        }
        if (http11 && !headers.containsKey("host")) {
            throw new Malformed(400, "no Host header (required in HTTP/1.1)");
        }
        return new RequestHead(method, target, http11, Map.copyOf(headers));
    }

    /** The end of the line starting at {@code start}: its LF, or the CR before it; control characters refused. */
    private static int lineEnd(byte[] bytes, int start, int to) throws Malformed {
        for (int i = start; i < to; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                return i > start && bytes[i - 1] == '\r' ? i - 1 : i;
            }
            if (b >= 0 && b < 0x20 && b != '\t' && b != '\r' || b == 0x7f
                    || b == '\r' && (i + 1 >= to || bytes[i + 1] != '\n')) {
                throw new Malformed(400, "control character in the request head");
            }
        }
        throw new Malformed(400, "request head without its final line break");
    }

    /** Where the next line starts, after the line break at {@code end} (CRLF or LF). */
    private static int next(byte[] bytes, int end, int to) {
        return end < to && bytes[end] == '\r' ? end + 2 : end + 1;
    }

    private static String text(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static String lowerCase(byte[] bytes, int from, int to) {
        byte[] lower = new byte[to - from];
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            lower[i - from] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
        }
        return new String(lower, StandardCharsets.ISO_8859_1);
    }

    private static boolean isToken(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!tokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isToken(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!tokenChar((char) (bytes[i] & 0xff))) {
                return false;
            }
        }
        return from < to;
    }

    private static boolean tokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
