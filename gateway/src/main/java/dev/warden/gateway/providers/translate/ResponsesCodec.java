package dev.warden.gateway.providers.translate;

import dev.warden.gateway.pipeline.Usage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI Responses API → canonical (requests: string or item-array input, instructions, function tools) and
 * canonical → Responses (answer objects; streams are {@link ResponsesStreamEncoder}).
 */
public final class ResponsesCodec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResponsesCodec() {
    }

    public static Conversation parseRequest(JsonNode body) {
        StringBuilder system = new StringBuilder();
        Json.appendParagraph(system, Json.text(body.get("instructions")));
        List<Conversation.Message> messages = new ArrayList<>();
        JsonNode input = body.get("input");
        if (input != null && input.isString()) {
            messages.add(user(List.of(new Part.Text(input.asString()))));
        } else if (input != null && input.isArray()) {
            for (JsonNode item : input) {
                if (item.isString()) {
                    messages.add(user(List.of(new Part.Text(item.asString()))));
                    continue;
                }
                String type = item.path("type").asString(item.has("role") ? "message" : "");
                switch (type) {
                    case "message" -> {
                        String role = item.path("role").asString("user");
                        if ("system".equals(role) || "developer".equals(role)) {
                            Json.appendParagraph(system, Json.text(item.get("content")));
                        } else {
                            messages.add(new Conversation.Message("assistant".equals(role)
                                    ? Conversation.Role.ASSISTANT : Conversation.Role.USER,
                                    contentParts(item.get("content"))));
                        }
                    }
                    case "function_call", "custom_tool_call" -> messages.add(new Conversation.Message(
                            Conversation.Role.ASSISTANT, List.of(new Part.ToolCall(item.path("call_id").asString(""),
                            item.path("name").asString(""), Json.argumentsText(
                                    item.has("arguments") ? item.get("arguments") : item.get("input"))))));
                    case "function_call_output", "custom_tool_call_output" -> messages.add(user(List.of(
                            new Part.ToolResult(item.path("call_id").asString(""), Json.text(item.get("output")),
                                    false))));
                    default -> {
                        // reasoning items are encrypted for OpenAI only; other items have no portable meaning
                    }
                }
            }
        }
        List<Conversation.Tool> tools = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            if ("function".equals(tool.path("type").asString("")) && tool.path("name").isString()) {
                tools.add(new Conversation.Tool(tool.path("name").asString(),
                        Json.optionalText(tool.get("description")), Json.schema(tool.get("parameters"))));
            }
        }
        return new Conversation(system.isEmpty() ? null : system.toString(), Json.mergeTurns(messages), tools,
                ChatCodec.toolChoice(body.get("tool_choice")), Json.optionalLong(body, "max_output_tokens"),
                Json.optionalDouble(body, "temperature"), Json.optionalDouble(body, "top_p"), List.of());
    }

    private static Conversation.Message user(List<Part> parts) {
        return new Conversation.Message(Conversation.Role.USER, parts);
    }

    private static List<Part> contentParts(@Nullable JsonNode content) {
        List<Part> parts = new ArrayList<>();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isString()) {
            parts.add(new Part.Text(content.asString()));
            return parts;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asString("")) {
                case "input_text", "output_text", "text" -> parts.add(new Part.Text(part.path("text").asString("")));
                case "input_image" -> {
                    JsonNode url = part.get("image_url");
                    if (url != null && url.isString()) {
                        parts.add(Part.Image.fromUrl(url.asString()));
                    }
                }
                default -> {
                    // files and refusals have no portable equivalent
                }
            }
        }
        return parts;
    }

    /** A response object; {@code usage} null renders as JSON null (in-progress responses). */
    static ObjectNode response(String id, long created, String model, String status, JsonNode request,
                               ArrayNode output, @Nullable Usage usage) {
        ObjectNode root = NODES.objectNode();
        root.put("id", id);
        root.put("object", "response");
        root.put("created_at", created);
        root.put("status", status);
        root.putNull("error");
        root.putNull("incomplete_details");
        JsonNode instructions = request.get("instructions");
        if (instructions != null && instructions.isString()) {
            root.put("instructions", instructions.asString());
        } else {
            root.putNull("instructions");
        }
        JsonNode maxOutput = request.get("max_output_tokens");
        if (maxOutput != null && maxOutput.isIntegralNumber()) {
            root.put("max_output_tokens", maxOutput.asLong());
        } else {
            root.putNull("max_output_tokens");
        }
        root.put("model", model);
        root.set("output", output.deepCopy());
        root.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        root.putNull("previous_response_id");
        JsonNode toolChoice = request.get("tool_choice");
        root.set("tool_choice", toolChoice != null ? toolChoice : NODES.stringNode("auto"));
        root.set("tools", request.has("tools") ? request.get("tools") : NODES.arrayNode());
        root.put("store", request.path("store").asBoolean(false));
        root.put("temperature", request.path("temperature").asDouble(1.0));
        root.put("top_p", request.path("top_p").asDouble(1.0));
        root.putObject("text").putObject("format").put("type", "text");
        root.put("truncation", "disabled");
        root.putObject("metadata");
        if (usage == null) {
            root.putNull("usage");
        } else {
            root.set("usage", usage(usage));
        }
        return root;
    }

    public static ObjectNode writeAnswer(Answer answer, String model, JsonNode request) {
        String id = responseId(answer.id());
        String shortId = id.substring(5);
        ArrayNode output = NODES.arrayNode();
        StringBuilder text = new StringBuilder();
        List<Part> parts = answer.parts();
        for (int i = 0; i <= parts.size(); i++) {
            Part part = i < parts.size() ? parts.get(i) : null;
            if (part instanceof Part.Text t) {
                text.append(t.text());
                continue;
            }
            if (!text.isEmpty()) {
                ObjectNode item = output.addObject();
                item.put("id", "msg_" + shortId + "_" + output.size()).put("type", "message")
                        .put("status", "completed").put("role", "assistant");
                item.putArray("content").add(outputText(text.toString()));
                text.setLength(0);
            }
            if (part instanceof Part.ToolCall call) {
                output.addObject().put("id", "fc_" + shortId + "_" + output.size()).put("type", "function_call")
                        .put("status", "completed").put("arguments", call.arguments()).put("call_id", call.id())
                        .put("name", call.name());
            }
        }
        boolean incomplete = answer.stopReason() == StopReason.MAX_TOKENS;
        ObjectNode response = response(id, System.currentTimeMillis() / 1000, model,
                incomplete ? "incomplete" : "completed", request, output, answer.usage());
        if (incomplete) {
            response.putObject("incomplete_details").put("reason", "max_output_tokens");
        }
        return response;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = NODES.objectNode();
        part.put("type", "output_text");
        part.put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode node = NODES.objectNode();
        node.put("input_tokens", usage.inputTokens());
        node.putObject("input_tokens_details").put("cached_tokens", usage.cachedInputTokens());
        node.put("output_tokens", usage.outputTokens());
        node.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        node.put("total_tokens", usage.totalTokens());
        return node;
    }

    static String responseId(String id) {
        String clean = id.replaceAll("[^A-Za-z0-9_-]", "");
        return clean.startsWith("resp_") ? clean : "resp_" + clean;
    }
}
