package dev.warden.gateway.providers;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a provider fake answers next, in no protocol: text or a tool call with token counts, or an error status.
 * Each fake renders it in its provider's wire format (JSON, or a stream when the request asks for one).
 */
public record Script(String text, @Nullable String toolName, @Nullable String toolArguments, long input,
                     long output, long cached, long reasoning, int status, Map<String, String> errorHeaders,
                     int cutAfter) {
    public static final long INPUT = 40;
    public static final long OUTPUT = 12;
    public static final long CACHED = 8;
    public static final long REASONING = 3;

    public static Script text(String text) {
        return new Script(text, null, null, INPUT, OUTPUT, CACHED, REASONING, 200, Map.of(), -1);
    }

    public static Script tool(String name, String arguments) {
        return new Script("", name, arguments, INPUT, OUTPUT, CACHED, REASONING, 200, Map.of(), -1);
    }

    public static Script error(int status, String... headerPairs) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return new Script("", null, null, 0, 0, 0, 0, status, headers, -1);
    }

    /** The same answer, but a stream drops the connection after {@code events} events. */
    public Script cutAfter(int events) {
        return new Script(text, toolName, toolArguments, input, output, cached, reasoning, status, errorHeaders,
                events);
    }

    public boolean isToolCall() {
        return toolName != null;
    }

    public boolean isError() {
        return status != 200;
    }

    /** The text in three pieces, so streams have several deltas. */
    public String[] pieces() {
        int third = Math.max(1, text.length() / 3);
        return new String[] {text.substring(0, Math.min(third, text.length())),
                text.substring(Math.min(third, text.length()), Math.min(2 * third, text.length())),
                text.substring(Math.min(2 * third, text.length()))};
    }
}
