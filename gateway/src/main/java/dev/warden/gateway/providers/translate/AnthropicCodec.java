package dev.warden.gateway.providers.translate;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic Messages ⇄ canonical: requests both ways, answers both ways, and the event stream into deltas.
 * Usage: canonical input tokens include cache reads and writes (Anthropic reports them apart), cached tokens are
 * the cache reads.
 */
public final class AnthropicCodec {
    /** Anthropic requires {@code max_tokens}; callers of other protocols may not send one. */
    public static final long DEFAULT_MAX_TOKENS = 4096;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AnthropicCodec() {
    }

    // ---- requests ----

    public static Conversation parseRequest(JsonNode body) {
        StringBuilder system = new StringBuilder();
        Json.appendParagraph(system, Json.text(body.get("system")));
        List<Conversation.Message> messages = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            Conversation.Role role = "assistant".equals(message.path("role").asString(""))
                    ? Conversation.Role.ASSISTANT : Conversation.Role.USER;
            messages.add(new Conversation.Message(role, blocks(message.get("content"))));
        }
        List<Conversation.Tool> tools = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            // Server tools (web_search, bash…) have a type and no input_schema; only custom tools translate.
            if (tool.path("name").isString() && (tool.has("input_schema") || !tool.has("type")
                    || "custom".equals(tool.path("type").asString("")))) {
                tools.add(new Conversation.Tool(tool.path("name").asString(),
                        Json.optionalText(tool.get("description")), Json.schema(tool.get("input_schema"))));
            }
        }
        Conversation.ToolChoice choice = null;
        JsonNode toolChoice = body.get("tool_choice");
        if (toolChoice != null && toolChoice.isObject()) {
            choice = switch (toolChoice.path("type").asString("auto")) {
                case "any" -> Conversation.ToolChoice.REQUIRED;
                case "none" -> Conversation.ToolChoice.NONE;
                case "tool" -> Conversation.ToolChoice.tool(toolChoice.path("name").asString(""));
                default -> Conversation.ToolChoice.AUTO;
            };
        }
        return new Conversation(system.isEmpty() ? null : system.toString(), messages, tools, choice,
                Json.optionalLong(body, "max_tokens"), Json.optionalDouble(body, "temperature"),
                Json.optionalDouble(body, "top_p"), Json.stringList(body.get("stop_sequences")));
    }

    private static List<Part> blocks(@Nullable JsonNode content) {
        List<Part> parts = new ArrayList<>();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isString()) {
            parts.add(new Part.Text(content.asString()));
            return parts;
        }
        for (JsonNode block : content) {
            switch (block.path("type").asString("")) {
                case "text" -> parts.add(new Part.Text(block.path("text").asString("")));
                case "image" -> {
                    JsonNode source = block.path("source");
                    if ("base64".equals(source.path("type").asString(""))) {
                        parts.add(new Part.Image(source.path("media_type").asString("image/png"),
                                source.path("data").asString(""), null));
                    } else if (source.path("url").isString()) {
                        parts.add(new Part.Image(null, null, source.path("url").asString()));
                    }
                }
                case "tool_use" -> parts.add(new Part.ToolCall(block.path("id").asString(""),
                        block.path("name").asString(""), Json.argumentsText(block.get("input"))));
                case "tool_result" -> parts.add(new Part.ToolResult(block.path("tool_use_id").asString(""),
                        Json.text(block.get("content")), block.path("is_error").asBoolean(false)));
                default -> {
                    // thinking blocks are signed for Anthropic only; documents have no portable equivalent
                }
            }
        }
        return parts;
    }

    /** The request Anthropic gets for a conversation that arrived in another protocol. */
    public static ObjectNode writeRequest(Conversation conversation, String model, boolean stream) {
        return writeRequest(conversation, model, stream, DEFAULT_MAX_TOKENS);
    }

    /** As above, with the output cap to use when the caller gave none. */
    public static ObjectNode writeRequest(Conversation conversation, String model, boolean stream,
                                          long defaultMaxTokens) {
        ObjectNode root = NODES.objectNode();
        root.put("model", model);
        root.put("max_tokens", conversation.maxTokens() != null ? conversation.maxTokens() : defaultMaxTokens);
        if (conversation.system() != null) {
            root.put("system", conversation.system());
        }
        ArrayNode messages = root.putArray("messages");
        for (Conversation.Message message : Json.mergeTurns(conversation.messages())) {
            ObjectNode out = messages.addObject();
            out.put("role", message.role() == Conversation.Role.ASSISTANT ? "assistant" : "user");
            ArrayNode content = out.putArray("content");
            // Anthropic wants tool results first in their user turn.
            List<Part> ordered = new ArrayList<>(message.parts());
            ordered.sort((a, b) -> Boolean.compare(!(a instanceof Part.ToolResult), !(b instanceof Part.ToolResult)));
            for (Part part : ordered) {
                switch (part) {
                    case Part.Text t -> {
                        if (!t.text().isEmpty()) {
                            content.addObject().put("type", "text").put("text", t.text());
                        }
                    }
                    case Part.Image image -> {
                        ObjectNode source = content.addObject().put("type", "image").putObject("source");
                        if (image.data() != null) {
                            source.put("type", "base64").put("media_type",
                                    image.mediaType() != null ? image.mediaType() : "image/png")
                                    .put("data", image.data());
                        } else {
                            source.put("type", "url").put("url", image.url());
                        }
                    }
                    case Part.ToolCall call -> {
                        ObjectNode block = content.addObject().put("type", "tool_use")
                                .put("id", toolUseId(call.id())).put("name", call.name());
                        block.set("input", Json.argumentsObject(call.arguments()));
                    }
                    case Part.ToolResult result -> {
                        ObjectNode block = content.addObject().put("type", "tool_result")
                                .put("tool_use_id", toolUseId(result.callId())).put("content", result.content());
                        if (result.error()) {
                            block.put("is_error", true);
                        }
                    }
                }
            }
        }
        if (!conversation.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (Conversation.Tool tool : conversation.tools()) {
                ObjectNode out = tools.addObject().put("name", tool.name());
                if (tool.description() != null) {
                    out.put("description", tool.description());
                }
                out.set("input_schema", tool.parameters());
            }
            Conversation.ToolChoice choice = conversation.toolChoice();
            if (choice != null) {
                ObjectNode out = root.putObject("tool_choice");
                switch (choice.mode()) {
                    case AUTO -> out.put("type", "auto");
                    case NONE -> out.put("type", "none");
                    case REQUIRED -> out.put("type", "any");
                    case TOOL -> out.put("type", "tool").put("name", choice.name());
                }
            }
        }
        if (conversation.temperature() != null) {
            root.put("temperature", Math.min(1.0, conversation.temperature()));
        }
        if (conversation.topP() != null) {
            root.put("top_p", conversation.topP());
        }
        if (!conversation.stop().isEmpty()) {
            ArrayNode stop = root.putArray("stop_sequences");
            conversation.stop().forEach(stop::add);
        }
        if (stream) {
            root.put("stream", true);
        }
        return root;
    }

    // ---- answers ----

    public static Answer parseAnswer(JsonNode body) {
        List<Part> parts = new ArrayList<>();
        for (JsonNode block : body.path("content")) {
            switch (block.path("type").asString("")) {
                case "text" -> parts.add(new Part.Text(block.path("text").asString("")));
                case "tool_use" -> parts.add(new Part.ToolCall(block.path("id").asString(""),
                        block.path("name").asString(""), Json.argumentsText(block.get("input"))));
                default -> {
                    // thinking and server-tool blocks stay with Anthropic callers
                }
            }
        }
        return new Answer(body.path("id").asString("msg_warden"), body.path("model").asString(""), parts,
                StopReason.fromAnthropic(body.path("stop_reason").asString("end_turn")),
                parseUsage(body.get("usage")));
    }

    public static ObjectNode writeAnswer(Answer answer, String model) {
        ObjectNode root = NODES.objectNode();
        root.put("id", messageId(answer.id()));
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", model);
        ArrayNode content = root.putArray("content");
        for (Part part : answer.parts()) {
            switch (part) {
                case Part.Text t -> content.addObject().put("type", "text").put("text", t.text());
                case Part.ToolCall call -> content.addObject().put("type", "tool_use").put("id", toolUseId(call.id()))
                        .put("name", call.name()).set("input", Json.argumentsObject(call.arguments()));
                default -> {
                    // answers carry no images or tool results
                }
            }
        }
        root.put("stop_reason", answer.stopReason().anthropic());
        root.putNull("stop_sequence");
        root.set("usage", usage(answer.usage()));
        return root;
    }

    public static Usage parseUsage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        long cacheRead = usage.path("cache_read_input_tokens").asLong(0);
        long cacheWrite = usage.path("cache_creation_input_tokens").asLong(0);
        return new Usage(usage.path("input_tokens").asLong(0) + cacheRead + cacheWrite,
                usage.path("output_tokens").asLong(0), cacheRead, 0);
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode node = NODES.objectNode();
        node.put("input_tokens", Math.max(0, usage.inputTokens() - usage.cachedInputTokens()));
        node.put("cache_creation_input_tokens", 0);
        node.put("cache_read_input_tokens", usage.cachedInputTokens());
        node.put("output_tokens", usage.outputTokens());
        return node;
    }

    static String messageId(String id) {
        String clean = toolUseId(id);
        return clean.startsWith("msg_") ? clean : "msg_" + clean;
    }

    /** Anthropic ids allow letters, digits, '_' and '-' only. */
    static String toolUseId(String id) {
        String clean = id.replaceAll("[^A-Za-z0-9_-]", "_");
        return clean.isEmpty() ? "toolu_warden" : clean;
    }

    // ---- streams ----

    /** Anthropic's event stream as deltas; an {@code error} event fails the stream. */
    public static DeltaStream parseStream(EventStream events) {
        return new EventDeltaStream(events) {
            private boolean finished;

            @Override
            protected boolean finished() {
                return finished;
            }

            @Override
            protected boolean read(SseEvent event, Consumer<Delta> out) throws IOException {
                JsonNode data;
                try {
                    data = Json.MAPPER.readTree(event.data());
                } catch (JacksonException e) {
                    throw new IOException("provider sent an event that is not JSON");
                }
                String type = data.path("type").asString(event.event() != null ? event.event() : "");
                switch (type) {
                    case "message_start" -> {
                        JsonNode message = data.path("message");
                        out.accept(new Delta.Start(message.path("id").asString("msg_warden"),
                                message.path("model").asString("")));
                        out.accept(new Delta.UsageReport(parseUsage(message.get("usage"))));
                    }
                    case "content_block_start" -> {
                        JsonNode block = data.path("content_block");
                        String blockType = block.path("type").asString("");
                        if ("tool_use".equals(blockType)) {
                            out.accept(new Delta.ToolCallStart(block.path("id").asString(""),
                                    block.path("name").asString("")));
                        } else if ("text".equals(blockType) && !block.path("text").asString("").isEmpty()) {
                            out.accept(new Delta.Text(block.path("text").asString()));
                        }
                    }
                    case "content_block_delta" -> {
                        JsonNode delta = data.path("delta");
                        switch (delta.path("type").asString("")) {
                            case "text_delta" -> out.accept(new Delta.Text(delta.path("text").asString("")));
                            case "input_json_delta" -> out.accept(
                                    new Delta.ToolArguments(delta.path("partial_json").asString("")));
                            default -> {
                                // thinking and signature deltas stay with Anthropic callers
                            }
                        }
                    }
                    case "message_delta" -> {
                        JsonNode stop = data.path("delta").get("stop_reason");
                        if (stop != null && stop.isString()) {
                            finished = true;
                            out.accept(new Delta.Stop(StopReason.fromAnthropic(stop.asString())));
                        }
                        out.accept(new Delta.UsageReport(parseUsage(data.get("usage"))));
                    }
                    case "message_stop" -> {
                        finished = true;
                        return false;
                    }
                    case "error" -> throw new IOException("provider error mid-stream: "
                            + data.path("error").path("message").asString("unknown"));
                    default -> {
                        // ping, content_block_stop
                    }
                }
                return true;
            }
        };
    }
}
