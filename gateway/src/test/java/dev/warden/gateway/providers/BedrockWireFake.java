package dev.warden.gateway.providers;

import com.sun.net.httpserver.HttpExchange;
import dev.warden.gateway.providers.translate.Conversation;
import dev.warden.gateway.providers.translate.Part;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bedrock Runtime's Converse API as the AWS API reference documents it: {@code POST /model/{modelId}/converse}
 * answering {@code output.message.content}, {@code stopReason}, {@code usage} (with {@code cacheReadInputTokens}), and
 * {@code /converse-stream} answering the binary event stream ({@code application/vnd.amazon.eventstream}): frames
 * with {@code :event-type} messageStart, contentBlockStart, contentBlockDelta, contentBlockStop, messageStop, metadata.
 * Errors are {@code {"message":…}} with an {@code x-amzn-ErrorType} header. {@code POST /model/{modelId}/count-tokens}
 * (CountTokens) takes {@code {"input":{"invokeModel":{"body":base64}}}} or {@code {"input":{"converse":…}}} and
 * answers {@code {"inputTokens": n}} with the script's input tokens; an invokeModel body that is not JSON is a 400.
 */
public final class BedrockWireFake extends WireFake {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public URI baseUrl() {
        return URI.create(root());
    }

    @Override
    protected String errorBody(int status, String message) {
        return "{\"message\":" + q(message) + "}";
    }

    private static String usage(Script s) {
        return "{\"inputTokens\":" + (s.input() - s.cached()) + ",\"outputTokens\":" + s.output() + ",\"totalTokens\":"
                + (s.input() + s.output()) + ",\"cacheReadInputTokens\":" + s.cached()
                + ",\"cacheWriteInputTokens\":0}";
    }

    @Override
    protected void answer(Received request, HttpExchange exchange, Script s) throws IOException {
        String path = request.path();
        if (path.startsWith("/model/") && path.endsWith("/count-tokens")) {
            JsonNode input = JSON.readTree(request.body()).path("input");
            String body = input.path("invokeModel").path("body").asString("");
            if (!input.has("converse")) {
                try {
                    JSON.readTree(java.util.Base64.getDecoder().decode(body));
                } catch (RuntimeException e) {
                    json(exchange, 400, errorBody(400, "ValidationException: invokeModel body is not valid JSON"));
                    return;
                }
            }
            json(exchange, 200, "{\"inputTokens\":" + s.input() + "}");
            return;
        }
        boolean stream = path.endsWith("/converse-stream");
        if (!path.startsWith("/model/") || !stream && !path.endsWith("/converse")) {
            json(exchange, 404, errorBody(404, "UnknownOperationException"));
            return;
        }
        String stop = s.isToolCall() ? "tool_use" : "end_turn";
        String toolUse = s.isToolCall() ? "{\"toolUseId\":\"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q\",\"name\":"
                + q(s.toolName()) : null;
        if (!stream) {
            String content = s.isToolCall() ? "{\"toolUse\":" + toolUse + ",\"input\":" + s.toolArguments() + "}}"
                    : "{\"text\":" + q(s.text()) + "}";
            json(exchange, 200, "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[" + content + "]}},"
                    + "\"stopReason\":\"" + stop + "\",\"usage\":" + usage(s) + ",\"metrics\":{\"latencyMs\":412}}");
            return;
        }
        exchange.getResponseHeaders().add("content-type", "application/vnd.amazon.eventstream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = cutting(exchange.getResponseBody(), s.cutAfter());
        frame(out, "messageStart", "{\"role\":\"assistant\",\"p\":\"abcdefgh\"}");
        if (s.isToolCall()) {
            frame(out, "contentBlockStart", "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":" + toolUse + "}},"
                    + "\"p\":\"abc\"}");
            String arguments = s.toolArguments();
            int half = arguments.length() / 2;
            for (String part : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
                frame(out, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":" + q(part)
                        + "}},\"p\":\"abcd\"}");
            }
        } else {
            for (String piece : s.pieces()) {
                frame(out, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":" + q(piece)
                        + "},\"p\":\"abcdef\"}");
            }
        }
        frame(out, "contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"ab\"}");
        frame(out, "messageStop", "{\"stopReason\":\"" + stop + "\",\"p\":\"abcdefghij\"}");
        frame(out, "metadata", "{\"usage\":" + usage(s) + ",\"metrics\":{\"latencyMs\":412},\"p\":\"abc\"}");
    }

    /** An output that drops the connection once {@code frames} frames were written (each frame is one flush). */
    private static OutputStream cutting(OutputStream out, int frames) {
        if (frames < 0) {
            return out;
        }
        return new java.io.FilterOutputStream(out) {
            private int flushed;

            @Override
            public void write(byte[] b) throws IOException {
                if (flushed >= frames) {
                    throw new Abort();
                }
                out.write(b);
            }

            @Override
            public void flush() throws IOException {
                flushed++;
                out.flush();
            }
        };
    }

    /** One event-stream frame: prelude (lengths + CRC), string headers, payload, message CRC. */
    static void frame(OutputStream out, String eventType, String payload) throws IOException {
        ByteArrayOutputStream headers = new ByteArrayOutputStream();
        header(headers, ":event-type", eventType);
        header(headers, ":content-type", "application/json");
        header(headers, ":message-type", "event");
        byte[] headerBytes = headers.toByteArray();
        byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        int total = 12 + headerBytes.length + payloadBytes.length + 4;
        ByteBuffer buffer = ByteBuffer.allocate(total);
        buffer.putInt(total).putInt(headerBytes.length);
        buffer.putInt(crc(buffer.array(), 8));
        buffer.put(headerBytes).put(payloadBytes);
        buffer.putInt(crc(buffer.array(), total - 4));
        out.write(buffer.array());
        out.flush();
    }

    private static void header(ByteArrayOutputStream out, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.write(n.length);
        out.writeBytes(n);
        out.write(7);
        out.write(v.length >> 8);
        out.write(v.length & 0xff);
        out.writeBytes(v);
    }

    private static int crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    /** Reads a Converse request back as a conversation. */
    @Override
    public Conversation saw(Received request) {
        JsonNode body = JSON.readTree(request.body());
        StringBuilder system = new StringBuilder();
        for (JsonNode block : body.path("system")) {
            system.append(block.path("text").asString(""));
        }
        List<Conversation.Message> messages = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            List<Part> parts = new ArrayList<>();
            for (JsonNode block : message.path("content")) {
                if (block.has("text")) {
                    parts.add(new Part.Text(block.path("text").asString()));
                } else if (block.has("toolUse")) {
                    JsonNode use = block.path("toolUse");
                    parts.add(new Part.ToolCall(use.path("toolUseId").asString(), use.path("name").asString(),
                            JSON.writeValueAsString(use.path("input"))));
                } else if (block.has("toolResult")) {
                    JsonNode result = block.path("toolResult");
                    parts.add(new Part.ToolResult(result.path("toolUseId").asString(),
                            result.path("content").path(0).path("text").asString(""), false));
                }
            }
            messages.add(new Conversation.Message("assistant".equals(message.path("role").asString())
                    ? Conversation.Role.ASSISTANT : Conversation.Role.USER, parts));
        }
        List<Conversation.Tool> tools = new ArrayList<>();
        for (JsonNode tool : body.path("toolConfig").path("tools")) {
            JsonNode spec = tool.path("toolSpec");
            tools.add(new Conversation.Tool(spec.path("name").asString(), null,
                    spec.path("inputSchema").get("json") instanceof ObjectNode o ? o : JSON.createObjectNode()));
        }
        return new Conversation(system.isEmpty() ? null : system.toString(), messages, tools, null, null, null, null,
                List.of());
    }
}
