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
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** OpenAI Chat Completions ⇄ canonical: requests both ways, answers both ways, and chunk streams into deltas. */
public final class ChatCodec {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChatCodec() {
    }

    // ---- requests ----

    public static Conversation parseRequest(JsonNode body) {
        StringBuilder system = new StringBuilder();
        List<Conversation.Message> messages = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            String role = message.path("role").asString("user");
            switch (role) {
                case "system", "developer" -> Json.appendParagraph(system, Json.text(message.get("content")));
                case "assistant" -> {
                    List<Part> parts = new ArrayList<>(contentParts(message.get("content")));
                    for (JsonNode call : message.path("tool_calls")) {
                        JsonNode function = call.path("function");
                        parts.add(new Part.ToolCall(call.path("id").asString(""), function.path("name").asString(""),
                                Json.argumentsText(function.get("arguments"))));
                    }
                    messages.add(new Conversation.Message(Conversation.Role.ASSISTANT, parts));
                }
                case "tool", "function" -> messages.add(new Conversation.Message(Conversation.Role.USER, List.of(
                        new Part.ToolResult(message.path("tool_call_id").asString(message.path("name").asString("")),
                                Json.text(message.get("content")), false))));
                default -> messages.add(new Conversation.Message(Conversation.Role.USER,
                        contentParts(message.get("content"))));
            }
        }
        List<Conversation.Tool> tools = new ArrayList<>();
        for (JsonNode tool : body.path("tools")) {
            JsonNode function = tool.path("function");
            if (function.path("name").isString()) {
                tools.add(new Conversation.Tool(function.path("name").asString(),
                        Json.optionalText(function.get("description")), Json.schema(function.get("parameters"))));
            }
        }
        return new Conversation(system.isEmpty() ? null : system.toString(), Json.mergeTurns(messages), tools,
                toolChoice(body.get("tool_choice")),
                Json.optionalLong(body, "max_completion_tokens", "max_tokens"), Json.optionalDouble(body, "temperature"),
                Json.optionalDouble(body, "top_p"), Json.stringList(body.get("stop")));
    }

    private static List<Part> contentParts(@Nullable JsonNode content) {
        List<Part> parts = new ArrayList<>();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isString()) {
            if (!content.asString().isEmpty()) {
                parts.add(new Part.Text(content.asString()));
            }
            return parts;
        }
        for (JsonNode part : content) {
            switch (part.path("type").asString("text")) {
                case "image_url" -> {
                    JsonNode image = part.path("image_url");
                    String url = image.isString() ? image.asString() : image.path("url").asString("");
                    parts.add(Part.Image.fromUrl(url));
                }
                case "text" -> parts.add(new Part.Text(part.path("text").asString("")));
                default -> {
                    // audio and file parts have no portable equivalent; refusal parts are not input
                }
            }
        }
        return parts;
    }

    static Conversation.@Nullable ToolChoice toolChoice(@Nullable JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isString()) {
            return switch (choice.asString()) {
                case "none" -> Conversation.ToolChoice.NONE;
                case "required" -> Conversation.ToolChoice.REQUIRED;
                default -> Conversation.ToolChoice.AUTO;
            };
        }
        String name = choice.path("function").path("name").asString(choice.path("name").asString(""));
        return name.isEmpty() ? Conversation.ToolChoice.AUTO : Conversation.ToolChoice.tool(name);
    }

    /** The request an OpenAI-compatible server gets for a conversation that arrived in another protocol. */
    public static ObjectNode writeRequest(Conversation conversation, String model, boolean stream) {
        ObjectNode root = NODES.objectNode();
        root.put("model", model);
        ArrayNode messages = root.putArray("messages");
        if (conversation.system() != null) {
            messages.addObject().put("role", "system").put("content", conversation.system());
        }
        for (Conversation.Message message : conversation.messages()) {
            if (message.role() == Conversation.Role.ASSISTANT) {
                ObjectNode out = messages.addObject().put("role", "assistant");
                String text = Json.joinText(message.parts());
                if (text.isEmpty()) {
                    out.putNull("content");
                } else {
                    out.put("content", text);
                }
                ArrayNode calls = null;
                for (Part part : message.parts()) {
                    if (part instanceof Part.ToolCall call) {
                        if (calls == null) {
                            calls = out.putArray("tool_calls");
                        }
                        ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                        c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                    }
                }
                continue;
            }
            // Tool results become tool messages, which must come right after the assistant's calls.
            List<Part> rest = new ArrayList<>();
            for (Part part : message.parts()) {
                if (part instanceof Part.ToolResult result) {
                    messages.addObject().put("role", "tool").put("tool_call_id", result.callId())
                            .put("content", result.content());
                } else {
                    rest.add(part);
                }
            }
            if (!rest.isEmpty()) {
                ObjectNode out = messages.addObject().put("role", "user");
                if (rest.stream().allMatch(Part.Text.class::isInstance)) {
                    out.put("content", Json.joinText(rest));
                } else {
                    ArrayNode content = out.putArray("content");
                    for (Part part : rest) {
                        switch (part) {
                            case Part.Text t -> content.addObject().put("type", "text").put("text", t.text());
                            case Part.Image image -> content.addObject().put("type", "image_url")
                                    .putObject("image_url").put("url", image.asUrl());
                            default -> {
                                // tool parts were handled above
                            }
                        }
                    }
                }
            }
        }
        if (!conversation.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (Conversation.Tool tool : conversation.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                if (tool.description() != null) {
                    function.put("description", tool.description());
                }
                function.set("parameters", tool.parameters());
            }
            Conversation.ToolChoice choice = conversation.toolChoice();
            if (choice != null) {
                switch (choice.mode()) {
                    case AUTO -> root.put("tool_choice", "auto");
                    case NONE -> root.put("tool_choice", "none");
                    case REQUIRED -> root.put("tool_choice", "required");
                    case TOOL -> root.putObject("tool_choice").put("type", "function").putObject("function")
                            .put("name", choice.name());
                }
            }
        }
        if (conversation.maxTokens() != null) {
            root.put("max_tokens", conversation.maxTokens());
        }
        if (conversation.temperature() != null) {
            root.put("temperature", conversation.temperature());
        }
        if (conversation.topP() != null) {
            root.put("top_p", conversation.topP());
        }
        if (!conversation.stop().isEmpty()) {
            ArrayNode stop = root.putArray("stop");
            conversation.stop().forEach(stop::add);
        }
        if (stream) {
            root.put("stream", true);
            root.putObject("stream_options").put("include_usage", true);
        }
        return root;
    }

    // ---- answers ----

    public static Answer parseAnswer(JsonNode body) {
        JsonNode choice = body.path("choices").path(0);
        JsonNode message = choice.path("message");
        List<Part> parts = new ArrayList<>(contentParts(message.get("content")));
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            parts.add(new Part.ToolCall(call.path("id").asString(""), function.path("name").asString(""),
                    Json.argumentsText(function.get("arguments"))));
        }
        String finish = choice.path("finish_reason").asString("stop");
        return new Answer(body.path("id").asString("chatcmpl-warden"), body.path("model").asString(""), parts,
                StopReason.fromOpenAi(finish), parseUsage(body.get("usage")));
    }

    public static ObjectNode writeAnswer(Answer answer, String model) {
        ObjectNode root = NODES.objectNode();
        root.put("id", ChatStreamEncoder.chatId(answer.id()));
        root.put("object", "chat.completion");
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        String text = answer.text();
        if (text.isEmpty() && !answer.toolCalls().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        message.putNull("refusal");
        if (!answer.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (Part.ToolCall call : answer.toolCalls()) {
                ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", answer.stopReason().openAi());
        root.set("usage", usage(answer.usage()));
        return root;
    }

    public static Usage parseUsage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        return new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode node = NODES.objectNode();
        node.put("prompt_tokens", usage.inputTokens());
        node.put("completion_tokens", usage.outputTokens());
        node.put("total_tokens", usage.totalTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return node;
    }

    // ---- streams ----

    /** Chat chunks (ending in {@code [DONE]}) as deltas. */
    public static DeltaStream parseStream(EventStream chunks) {
        return new EventDeltaStream(chunks) {
            private boolean started;
            private int toolIndex = -1;
            private String toolId = "";
            private boolean finished;

            @Override
            protected boolean finished() {
                return finished;
            }

            @Override
            protected boolean read(SseEvent event, Consumer<Delta> out) throws IOException {
                if (event.isDone()) {
                    finished = true;
                    return false;
                }
                JsonNode chunk;
                try {
                    chunk = JSON.readTree(event.data());
                } catch (JacksonException e) {
                    throw new IOException("provider sent a chunk that is not JSON");
                }
                if (chunk.has("error")) {
                    throw new IOException("provider error mid-stream: "
                            + chunk.path("error").path("message").asString("unknown"));
                }
                if (!started && chunk.path("id").isString()) {
                    started = true;
                    out.accept(new Delta.Start(chunk.path("id").asString(), chunk.path("model").asString("")));
                }
                JsonNode choice = chunk.path("choices").path(0);
                JsonNode delta = choice.path("delta");
                JsonNode content = delta.get("content");
                if (content != null && content.isString() && !content.asString().isEmpty()) {
                    out.accept(new Delta.Text(content.asString()));
                }
                for (JsonNode call : delta.path("tool_calls")) {
                    // OpenAI numbers calls with index and names them once; Mistral sends each call whole with an
                    // id and no index. Either an unseen index or an unseen id starts a new call.
                    JsonNode index = call.get("index");
                    if (index != null && !index.canConvertToInt()) {
                        index = null; // not a usable index (a fraction, or past 32 bits): go by the id
                    }
                    String id = call.path("id").asString("");
                    boolean next = index != null && index.isIntegralNumber() ? index.asInt() != toolIndex
                            : !id.isEmpty() && !id.equals(toolId);
                    JsonNode function = call.path("function");
                    if (next) {
                        toolIndex = index != null && index.isIntegralNumber() ? index.asInt() : toolIndex + 1;
                        toolId = id.isEmpty() ? "call_" + toolIndex : id;
                        out.accept(new Delta.ToolCallStart(toolId, function.path("name").asString("")));
                    }
                    JsonNode arguments = function.get("arguments");
                    if (arguments != null && arguments.isString() && !arguments.asString().isEmpty()) {
                        out.accept(new Delta.ToolArguments(arguments.asString()));
                    }
                }
                JsonNode finish = choice.get("finish_reason");
                if (finish != null && finish.isString()) {
                    finished = true; // some compatible servers end without [DONE] after the finish chunk
                    out.accept(new Delta.Stop(StopReason.fromOpenAi(finish.asString())));
                }
                JsonNode usage = chunk.get("usage");
                if (usage == null || !usage.isObject()) {
                    usage = chunk.path("x_groq").get("usage"); // Groq's place for it on the finish chunk
                }
                if (usage != null && usage.isObject()) {
                    out.accept(new Delta.UsageReport(parseUsage(usage)));
                }
                return true;
            }
        };
    }
}
