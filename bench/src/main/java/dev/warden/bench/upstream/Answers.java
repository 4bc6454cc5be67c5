package dev.warden.bench.upstream;

import java.nio.charset.StandardCharsets;

/**
 * The fake upstream's answers, as bytes, shared by both engines so that they are the same byte for byte: a chat
 * completion whose text is {@code chunks} tokens, the same as {@code chunks} SSE content events plus a finish event
 * and a usage event, an embedding, the model list and a 404.
 */
final class Answers {
    static final byte[] MODELS = """
            {"object":"list","data":[{"id":"bench-model","object":"model","created":1700000000,"owned_by":"bench"}]}"""
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] EMBEDDING = """
            {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3,0.4]}],\
            "model":"bench-model","usage":{"prompt_tokens":8,"total_tokens":8}}""".getBytes(StandardCharsets.UTF_8);
    static final byte[] NOT_FOUND = "{\"error\":{\"message\":\"no route\",\"type\":\"not_found\",\"code\":null}}"
            .getBytes(StandardCharsets.UTF_8);
    /** Headers of a streamed answer: sent at once, before the first event, as real providers do. */
    static final byte[] STREAM_HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private Answers() {
    }

    static byte[] chunk(byte[] data) {
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        all[all.length - 2] = '\r';
        all[all.length - 1] = '\n';
        return all;
    }

    static byte[] response(int status, String contentType, byte[] body) {
        byte[] head = ("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\nContent-Type: "
                + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    static boolean wantsStream(byte[] body, int off, int len) {
        return contains(body, off, len, "\"stream\":true") || contains(body, off, len, "\"stream\": true");
    }

    static boolean contains(byte[] haystack, int off, int len, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = off; i <= off + len - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String word(int i) {
        return "tok" + i + " ";
    }

    static byte[] completionBody(int chunks) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            text.append(word(i));
        }
        return ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"bench-model\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text
                + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + chunks + ",\"total_tokens\":" + (12 + chunks)
                + "}}").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code chunks} content events, one finish event, then one usage event (sent only when asked for). */
    static byte[][] streamEvents(int chunks) {
        String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"bench-model\",";
        byte[][] events = new byte[chunks + 2][];
        for (int i = 0; i < chunks; i++) {
            String delta = i == 0
                    ? "{\"role\":\"assistant\",\"content\":\"" + word(i) + "\"}"
                    : "{\"content\":\"" + word(i) + "\"}";
            events[i] = (head + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        events[chunks] = (head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        events[chunks + 1] = (head + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + chunks
                + ",\"total_tokens\":" + (12 + chunks) + "}}\n\n").getBytes(StandardCharsets.UTF_8);
        return events;
    }
}
