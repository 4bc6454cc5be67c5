package dev.warden.gateway.providers.demo;

import dev.warden.gateway.surface.CanonicalRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the demo provider answers to a request: either text or a tool call. Reads the last turn of any surface's
 * conversation (chat messages, Responses input items, Anthropic messages).
 */
record DemoTurn(String text, @Nullable String toolName, @Nullable String toolArguments) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ECHO = 160;

    /** The same turn with its text cut to at most {@code maxChars} (a tool call is never cut). */
    DemoTurn limitedTo(long maxChars) {
        return isToolCall() || text.length() <= maxChars ? this : new DemoTurn(text.substring(0, (int) maxChars),
                null, null);
    }

    boolean isToolCall() {
        return toolName != null;
    }

    int outputLength() {
        return isToolCall() ? toolArguments.length() + toolName.length() : text.length();
    }

    /** The answer text in a few chunks, split after spaces, so streams have several deltas. */
    List<String> chunks() {
        List<String> chunks = new ArrayList<>();
        int start = 0;
        int words = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ' && ++words % 3 == 0) {
                chunks.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            chunks.add(text.substring(start));
        }
        return chunks;
    }

    static DemoTurn of(CanonicalRequest request) {
        JsonNode body = request.body();
        return switch (request.surface()) {
            case CHAT_COMPLETIONS -> fromChat(body.path("messages"));
            case RESPONSES -> fromResponses(body.get("input"));
            case ANTHROPIC_MESSAGES -> fromAnthropic(body.path("messages"));
            default -> new DemoTurn("", null, null);
        };
    }

    private static DemoTurn fromChat(JsonNode messages) {
        JsonNode last = messages.get(messages.size() - 1);
        String role = last.path("role").asString("");
        if ("tool".equals(role) || "function".equals(role)) {
            return toolResult(text(last.get("content")));
        }
        return fromUserText(text(last.get("content")));
    }

    private static DemoTurn fromResponses(@Nullable JsonNode input) {
        if (input == null || input.isNull()) {
            return fromUserText("");
        }
        if (input.isString()) {
            return fromUserText(input.asString());
        }
        JsonNode last = input.get(input.size() - 1);
        if (last.isString()) {
            return fromUserText(last.asString());
        }
        String type = last.path("type").asString("message");
        if ("function_call_output".equals(type) || "custom_tool_call_output".equals(type)) {
            return toolResult(text(last.get("output")));
        }
        // Codex puts environment context after the user's words: answer the last user message.
        for (int i = input.size() - 1; i >= 0; i--) {
            JsonNode item = input.get(i);
            if ("user".equals(item.path("role").asString("")) && !text(item.get("content")).startsWith("<")) {
                return fromUserText(text(item.get("content")));
            }
        }
        return fromUserText(text(last.get("content")));
    }

    private static DemoTurn fromAnthropic(JsonNode messages) {
        JsonNode last = messages.get(messages.size() - 1);
        JsonNode content = last.get("content");
        if (content != null && content.isArray()) {
            for (JsonNode block : content) {
                if ("tool_result".equals(block.path("type").asString(""))) {
                    return toolResult(text(block.get("content")));
                }
            }
        }
        return fromUserText(text(content));
    }

    private static DemoTurn fromUserText(String said) {
        String trimmed = said.strip();
        if (trimmed.startsWith("/tool ")) {
            String rest = trimmed.substring(6).strip();
            int space = rest.indexOf(' ');
            String name = space < 0 ? rest : rest.substring(0, space);
            String arguments = space < 0 ? "{}" : rest.substring(space + 1).strip();
            try {
                JsonNode parsed = JSON.readTree(arguments);
                if (!name.isEmpty() && parsed != null && parsed.isObject()) {
                    return new DemoTurn("", name, JSON.writeValueAsString(parsed));
                }
            } catch (RuntimeException ignored) {
                // not a tool call after all: echo it as text
            }
        }
        return new DemoTurn("Warden demo reply. You said: \"" + excerpt(trimmed) + "\"", null, null);
    }

    private static DemoTurn toolResult(String output) {
        return new DemoTurn("Warden demo reply. The tool returned: \"" + excerpt(output.strip()) + "\"", null,
                null);
    }

    private static String excerpt(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_ECHO ? oneLine : oneLine.substring(0, MAX_ECHO) + "…";
    }

    /** Text of a content value: a string, or the text parts of an array of content parts/blocks. */
    static String text(@Nullable JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.asString();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.isString()) {
                    text.append(part.asString());
                } else if (part.has("text")) {
                    if (!text.isEmpty()) {
                        text.append('\n');
                    }
                    text.append(part.path("text").asString(""));
                } else if (part.has("content")) {
                    text.append(text(part.get("content")));
                }
            }
            return text.toString();
        }
        return content.toString();
    }
}
