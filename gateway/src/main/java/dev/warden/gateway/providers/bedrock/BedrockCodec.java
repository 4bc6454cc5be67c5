package dev.warden.gateway.providers.bedrock;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.providers.translate.Answer;
import dev.warden.gateway.providers.translate.Conversation;
import dev.warden.gateway.providers.translate.Delta;
import dev.warden.gateway.providers.translate.DeltaStream;
import dev.warden.gateway.providers.translate.EventDeltaStream;
import dev.warden.gateway.providers.translate.Json;
import dev.warden.gateway.providers.translate.Part;
import dev.warden.gateway.providers.translate.StopReason;
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
 * Canonical ⇄ Bedrock Converse: {@code messages} of content blocks ({@code text}, {@code image}, {@code toolUse},
 * {@code toolResult}), {@code system}, {@code inferenceConfig}, {@code toolConfig}; the Converse answer and the
 * ConverseStream events (messageStart, contentBlockStart/Delta/Stop, messageStop, metadata) back. Canonical input
 * tokens include cache reads and writes, which Converse reports apart.
 */
final class BedrockCodec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BedrockCodec() {
    }

    static ObjectNode writeRequest(Conversation conversation) {
        ObjectNode root = NODES.objectNode();
        if (conversation.system() != null) {
            root.putArray("system").addObject().put("text", conversation.system());
        }
        ArrayNode messages = root.putArray("messages");
        for (Conversation.Message message : Json.mergeTurns(conversation.messages())) {
            ObjectNode out = messages.addObject();
            out.put("role", message.role() == Conversation.Role.ASSISTANT ? "assistant" : "user");
            ArrayNode content = out.putArray("content");
            for (Part part : message.parts()) {
                switch (part) {
                    case Part.Text t -> {
                        if (!t.text().isEmpty()) {
                            content.addObject().put("text", t.text());
                        }
                    }
                    case Part.Image image -> {
                        if (image.data() != null) {
                            String type = image.mediaType() != null ? image.mediaType() : "image/png";
                            ObjectNode block = content.addObject().putObject("image");
                            block.put("format", type.substring(type.indexOf('/') + 1));
                            block.putObject("source").put("bytes", image.data());
                        } else {
                            // Converse takes image bytes or S3 locations only.
                            content.addObject().put("text", "[image: " + image.url() + "]");
                        }
                    }
                    case Part.ToolCall call -> {
                        ObjectNode block = content.addObject().putObject("toolUse");
                        block.put("toolUseId", call.id()).put("name", call.name());
                        block.set("input", Json.argumentsObject(call.arguments()));
                    }
                    case Part.ToolResult result -> {
                        ObjectNode block = content.addObject().putObject("toolResult");
                        block.put("toolUseId", result.callId());
                        block.putArray("content").addObject().put("text", result.content());
                        if (result.error()) {
                            block.put("status", "error");
                        }
                    }
                }
            }
        }
        ObjectNode inference = NODES.objectNode();
        if (conversation.maxTokens() != null) {
            inference.put("maxTokens", conversation.maxTokens());
        }
        if (conversation.temperature() != null) {
            inference.put("temperature", conversation.temperature());
        }
        if (conversation.topP() != null) {
            inference.put("topP", conversation.topP());
        }
        if (!conversation.stop().isEmpty()) {
            ArrayNode stop = inference.putArray("stopSequences");
            conversation.stop().forEach(stop::add);
        }
        if (!inference.isEmpty()) {
            root.set("inferenceConfig", inference);
        }
        if (!conversation.tools().isEmpty()) {
            ObjectNode config = root.putObject("toolConfig");
            ArrayNode tools = config.putArray("tools");
            for (Conversation.Tool tool : conversation.tools()) {
                ObjectNode spec = tools.addObject().putObject("toolSpec");
                spec.put("name", tool.name());
                if (tool.description() != null) {
                    spec.put("description", tool.description());
                }
                spec.putObject("inputSchema").set("json", tool.parameters());
            }
            Conversation.ToolChoice choice = conversation.toolChoice();
            if (choice != null) {
                switch (choice.mode()) {
                    case AUTO -> config.putObject("toolChoice").putObject("auto");
                    case REQUIRED -> config.putObject("toolChoice").putObject("any");
                    case TOOL -> config.putObject("toolChoice").putObject("tool").put("name", choice.name());
                    case NONE -> {
                        // Converse has no "none"; tools stay declared because the history may use them
                    }
                }
            }
        }
        return root;
    }

    static Answer parseAnswer(JsonNode body, String model) {
        List<Part> parts = new ArrayList<>();
        for (JsonNode block : body.path("output").path("message").path("content")) {
            if (block.path("text").isString()) {
                parts.add(new Part.Text(block.path("text").asString()));
            } else if (block.has("toolUse")) {
                JsonNode use = block.path("toolUse");
                parts.add(new Part.ToolCall(use.path("toolUseId").asString(""), use.path("name").asString(""),
                        Json.argumentsText(use.get("input"))));
            }
        }
        return new Answer("bedrock-" + Long.toHexString(System.nanoTime()), model, parts,
                stopReason(body.path("stopReason").asString("end_turn")), parseUsage(body.get("usage")));
    }

    static StopReason stopReason(String reason) {
        return switch (reason) {
            case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
            case "tool_use" -> StopReason.TOOL_USE;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "guardrail_intervened", "content_filtered" -> StopReason.CONTENT_FILTER;
            default -> StopReason.END_TURN;
        };
    }

    static Usage parseUsage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        long cacheRead = usage.path("cacheReadInputTokens").asLong(0);
        long cacheWrite = usage.path("cacheWriteInputTokens").asLong(0);
        return new Usage(usage.path("inputTokens").asLong(0) + cacheRead + cacheWrite,
                usage.path("outputTokens").asLong(0), cacheRead, 0);
    }

    /** ConverseStream frames (already decoded to named events) as deltas; exception frames fail the stream. */
    static DeltaStream parseStream(EventStream frames, String model) {
        return new EventDeltaStream(frames) {
            private boolean finished;

            @Override
            protected boolean finished() {
                return finished;
            }

            @Override
            protected boolean read(SseEvent event, Consumer<Delta> out) throws IOException {
                String type = event.event() != null ? event.event() : "";
                JsonNode data;
                try {
                    data = Json.MAPPER.readTree(event.data());
                } catch (JacksonException e) {
                    throw new IOException("provider sent an event that is not JSON");
                }
                if (type.startsWith("exception:")) {
                    throw new IOException("provider error mid-stream: " + type.substring(10) + ": "
                            + data.path("message").asString("unknown"));
                }
                switch (type) {
                    case "messageStart" -> out.accept(new Delta.Start("bedrock-" + Long.toHexString(System.nanoTime()),
                            model));
                    case "contentBlockStart" -> {
                        JsonNode use = data.path("start").path("toolUse");
                        if (use.isObject()) {
                            out.accept(new Delta.ToolCallStart(use.path("toolUseId").asString(""),
                                    use.path("name").asString("")));
                        }
                    }
                    case "contentBlockDelta" -> {
                        JsonNode delta = data.path("delta");
                        if (delta.path("text").isString()) {
                            out.accept(new Delta.Text(delta.path("text").asString()));
                        } else if (delta.path("toolUse").path("input").isString()) {
                            out.accept(new Delta.ToolArguments(delta.path("toolUse").path("input").asString()));
                        }
                    }
                    case "messageStop" -> {
                        finished = true;
                        out.accept(new Delta.Stop(stopReason(data.path("stopReason").asString("end_turn"))));
                    }
                    case "metadata" -> out.accept(new Delta.UsageReport(parseUsage(data.get("usage"))));
                    default -> {
                        // contentBlockStop carries nothing the encoders need
                    }
                }
                return true;
            }
        };
    }
}
