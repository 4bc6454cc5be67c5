package dev.warden.gateway.guard;

import dev.warden.gateway.pipeline.Surface;
import dev.warden.guardrails.TextPart;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The text a guardrail must see in a request or an answer of each surface — message text, tool-call arguments and
 * tool results — as parts addressed by JSON Pointer, and the write-back of redacted text to the same places.
 */
public final class TextParts {
    private TextParts() {
    }

    public static List<TextPart> ofRequest(Surface surface, ObjectNode body) {
        List<TextPart> parts = new ArrayList<>();
        switch (surface) {
            case CHAT_COMPLETIONS -> {
                JsonNode messages = body.path("messages");
                for (int i = 0; i < messages.size(); i++) {
                    JsonNode message = messages.path(i);
                    boolean tool = "tool".equals(message.path("role").asString(""))
                            || "function".equals(message.path("role").asString(""));
                    content(parts, message.get("content"), "/messages/" + i + "/content",
                            tool ? TextPart.Kind.TOOL_RESULT : TextPart.Kind.MESSAGE);
                    JsonNode calls = message.path("tool_calls");
                    for (int k = 0; k < calls.size(); k++) {
                        string(parts, calls.path(k).path("function").get("arguments"),
                                "/messages/" + i + "/tool_calls/" + k + "/function/arguments", TextPart.Kind.TOOL_ARGUMENTS);
                    }
                }
            }
            case RESPONSES -> {
                string(parts, body.get("instructions"), "/instructions", TextPart.Kind.MESSAGE);
                JsonNode input = body.get("input");
                if (input != null && input.isString()) {
                    string(parts, input, "/input", TextPart.Kind.MESSAGE);
                } else if (input != null && input.isArray()) {
                    for (int i = 0; i < input.size(); i++) {
                        JsonNode item = input.path(i);
                        String type = item.path("type").asString("message");
                        String at = "/input/" + i;
                        switch (type) {
                            case "function_call", "custom_tool_call" ->
                                    string(parts, item.get("arguments"), at + "/arguments", TextPart.Kind.TOOL_ARGUMENTS);
                            case "function_call_output", "custom_tool_call_output" ->
                                    content(parts, item.get("output"), at + "/output", TextPart.Kind.TOOL_RESULT);
                            default -> content(parts, item.get("content"), at + "/content", TextPart.Kind.MESSAGE);
                        }
                    }
                }
            }
            case ANTHROPIC_MESSAGES, ANTHROPIC_COUNT_TOKENS -> {
                content(parts, body.get("system"), "/system", TextPart.Kind.MESSAGE);
                JsonNode messages = body.path("messages");
                for (int i = 0; i < messages.size(); i++) {
                    JsonNode content = messages.path(i).get("content");
                    String at = "/messages/" + i + "/content";
                    if (content != null && content.isArray()) {
                        for (int j = 0; j < content.size(); j++) {
                            JsonNode block = content.path(j);
                            if ("tool_result".equals(block.path("type").asString(""))) {
                                content(parts, block.get("content"), at + "/" + j + "/content", TextPart.Kind.TOOL_RESULT);
                            } else {
                                string(parts, block.get("text"), at + "/" + j + "/text", TextPart.Kind.MESSAGE);
                            }
                        }
                    } else {
                        string(parts, content, at, TextPart.Kind.MESSAGE);
                    }
                }
            }
            case EMBEDDINGS -> {
                JsonNode input = body.get("input");
                if (input != null && input.isString()) {
                    string(parts, input, "/input", TextPart.Kind.MESSAGE);
                } else if (input != null && input.isArray()) {
                    for (int i = 0; i < input.size(); i++) {
                        string(parts, input.path(i), "/input/" + i, TextPart.Kind.MESSAGE);
                    }
                }
            }
            case MODELS -> {
                // no text
            }
        }
        return parts;
    }

    /**
     * Whether answers on this surface carry text that {@link #ofAnswer} finds. Embeddings answers carry vectors only,
     * and can be tens of megabytes: parsing one into a tree only to find nothing costs several times its size.
     */
    public static boolean answerHasText(Surface surface) {
        return switch (surface) {
            case CHAT_COMPLETIONS, RESPONSES, ANTHROPIC_MESSAGES -> true;
            case EMBEDDINGS, MODELS, ANTHROPIC_COUNT_TOKENS -> false; // a count is a number
        };
    }

    public static List<TextPart> ofAnswer(Surface surface, JsonNode answer) {
        List<TextPart> parts = new ArrayList<>();
        switch (surface) {
            case CHAT_COMPLETIONS -> {
                JsonNode choices = answer.path("choices");
                for (int i = 0; i < choices.size(); i++) {
                    JsonNode message = choices.path(i).path("message");
                    string(parts, message.get("content"), "/choices/" + i + "/message/content", TextPart.Kind.MESSAGE);
                    JsonNode calls = message.path("tool_calls");
                    for (int k = 0; k < calls.size(); k++) {
                        string(parts, calls.path(k).path("function").get("arguments"), "/choices/" + i
                                + "/message/tool_calls/" + k + "/function/arguments", TextPart.Kind.TOOL_ARGUMENTS);
                    }
                }
            }
            case RESPONSES -> {
                JsonNode output = answer.path("output");
                for (int i = 0; i < output.size(); i++) {
                    JsonNode item = output.path(i);
                    if ("function_call".equals(item.path("type").asString(""))) {
                        string(parts, item.get("arguments"), "/output/" + i + "/arguments", TextPart.Kind.TOOL_ARGUMENTS);
                    }
                    JsonNode content = item.path("content");
                    for (int j = 0; j < content.size(); j++) {
                        string(parts, content.path(j).get("text"), "/output/" + i + "/content/" + j + "/text",
                                TextPart.Kind.MESSAGE);
                    }
                }
            }
            case ANTHROPIC_MESSAGES -> {
                JsonNode content = answer.path("content");
                for (int j = 0; j < content.size(); j++) {
                    string(parts, content.path(j).get("text"), "/content/" + j + "/text", TextPart.Kind.MESSAGE);
                }
            }
            default -> {
                // embeddings: vectors only
            }
        }
        return parts;
    }

    /** Writes each part's text back to where it came from. */
    public static void writeBack(JsonNode root, List<TextPart> parts) {
        for (TextPart part : parts) {
            String pointer = part.path();
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
            String last = pointer.substring(slash + 1);
            if (parent instanceof ObjectNode object) {
                object.put(last, part.text());
            } else if (parent instanceof ArrayNode array) {
                array.set(Integer.parseInt(last), array.stringNode(part.text()));
            }
        }
    }

    private static void content(List<TextPart> parts, JsonNode content, String at, TextPart.Kind kind) {
        if (content == null) {
            return;
        }
        if (content.isString()) {
            string(parts, content, at, kind);
        } else if (content.isArray()) {
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.path(j);
                if (part.isString()) {
                    string(parts, part, at + "/" + j, kind);
                } else {
                    string(parts, part.get("text"), at + "/" + j + "/text", kind);
                }
            }
        }
    }

    private static void string(List<TextPart> parts, JsonNode node, String at, TextPart.Kind kind) {
        if (node != null && node.isString() && !node.asString().isEmpty()) {
            parts.add(new TextPart(at, kind, node.asString()));
        }
    }
}
