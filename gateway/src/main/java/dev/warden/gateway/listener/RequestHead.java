package dev.warden.gateway.listener;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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

    /** Whether the caller asked to close the connection after this request (or, on HTTP/1.0, did not ask to keep it). */
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
     * Parses a head of {@code length} bytes ending with its empty line (CRLF CRLF, or bare LFs, which the RFC
     * allows a recipient to accept).
     */
    static RequestHead parse(byte[] bytes, int length) throws Malformed {
        List<String> lines = lines(bytes, length);
        int first = 0;
        while (first < lines.size() && lines.get(first).isEmpty()) {
            first++; // RFC 9112 2.2: ignore empty lines before the request line
        }
        if (first == lines.size()) {
            throw new Malformed(400, "no request line");
        }
        String requestLine = lines.get(first);
        int sp1 = requestLine.indexOf(' ');
        int sp2 = requestLine.lastIndexOf(' ');
        if (sp1 <= 0 || sp2 == sp1) {
            throw new Malformed(400, "malformed request line (expected: METHOD target HTTP/1.1)");
        }
        String method = requestLine.substring(0, sp1);
        String target = requestLine.substring(sp1 + 1, sp2);
        String version = requestLine.substring(sp2 + 1);
        if (!isToken(method) || target.isEmpty() || target.indexOf(' ') >= 0 || target.charAt(0) != '/') {
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
        for (int i = first + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                break;
            }
            if (++count > MAX_HEADERS) {
                throw new Malformed(431, "more than " + MAX_HEADERS + " header fields");
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new Malformed(400, "folded header line (obsolete line folding is not accepted)");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new Malformed(400, "malformed header field (expected: name: value)");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        if (http11 && !headers.containsKey("host")) {
            throw new Malformed(400, "no Host header (required in HTTP/1.1)");
        }
        Map<String, List<String>> immutable = new HashMap<>(headers.size() * 2);
        headers.forEach((name, values) -> immutable.put(name, List.copyOf(values)));
        return new RequestHead(method, target, http11, Map.copyOf(immutable));
    }

    private static List<String> lines(byte[] bytes, int length) throws Malformed {
        List<String> lines = new ArrayList<>(24);
        int start = 0;
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                lines.add(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            } else if (b >= 0 && b < 0x20 && b != '\t' && b != '\r' || b == 0x7f
                    || b == '\r' && (i + 1 >= length || bytes[i + 1] != '\n')) {
                throw new Malformed(400, "control character in the request head");
            }
        }
        return lines;
    }

    private static boolean isToken(@Nullable String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
