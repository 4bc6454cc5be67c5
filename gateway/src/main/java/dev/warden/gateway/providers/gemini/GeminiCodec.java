package dev.warden.gateway.providers.gemini;

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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Canonical ⇄ Gemini {@code generateContent}: contents with user/model roles, {@code functionCall} and
 * {@code functionResponse} parts, {@code systemInstruction}, {@code functionDeclarations}, {@code generationConfig};
 * answers and {@code streamGenerateContent?alt=sse} chunks back. Gemini reports thinking tokens apart from candidate
 * tokens: canonical output tokens are their sum, reasoning tokens the thinking ones.
 */
final class GeminiCodec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Separates a call id from the thought signature it carries (the id part never contains '_'). */
    private static final String SIGNATURE_MARK = "_ts_";

    private GeminiCodec() {
    }

    /** What countTokens counts of a request: the conversation as generateContent would get it, without its limits. */
    static ObjectNode countedRequest(Conversation conversation) {
        ObjectNode request = writeRequest(conversation);
        request.remove("generationConfig");
        return request;
    }

    static ObjectNode writeRequest(Conversation conversation) {
        ObjectNode root = NODES.objectNode();
        if (conversation.system() != null) {
            root.putObject("systemInstruction").putArray("parts").addObject().put("text", conversation.system());
        }
        // functionResponse parts name the function, which canonical tool results know only by call id.
        Map<String, String> callNames = new HashMap<>();
        for (Conversation.Message message : conversation.messages()) {
            for (Part part : message.parts()) {
                if (part instanceof Part.ToolCall call) {
                    callNames.put(call.id(), call.name());
                }
            }
        }
        ArrayNode contents = root.putArray("contents");
        for (Conversation.Message message : Json.mergeTurns(conversation.messages())) {
            ObjectNode content = contents.addObject();
            content.put("role", message.role() == Conversation.Role.ASSISTANT ? "model" : "user");
            ArrayNode parts = content.putArray("parts");
            for (Part part : message.parts()) {
                switch (part) {
                    case Part.Text t -> parts.addObject().put("text", t.text());
                    case Part.Image image -> {
                        if (image.data() != null) {
                            parts.addObject().putObject("inlineData").put("mimeType",
                                    image.mediaType() != null ? image.mediaType() : "image/png")
                                    .put("data", image.data());
                        } else {
                            parts.addObject().putObject("fileData").put("mimeType", mimeTypeOf(image.url()))
                                    .put("fileUri", image.url());
                        }
                    }
                    case Part.ToolCall call -> {
                        ObjectNode callPart = parts.addObject();
                        ObjectNode functionCall = callPart.putObject("functionCall");
                        functionCall.put("id", withoutSignature(call.id())).put("name", call.name());
                        functionCall.set("args", Json.argumentsObject(call.arguments()));
                        String signature = signatureOf(call.id());
                        if (signature != null) {
                            callPart.put("thoughtSignature", signature);
                        }
                    }
                    case Part.ToolResult result -> {
                        ObjectNode response = parts.addObject().putObject("functionResponse");
                        response.put("id", withoutSignature(result.callId()));
                        response.put("name", callNames.getOrDefault(result.callId(), result.callId()));
                        ObjectNode value = response.putObject("response");
                        value.put(result.error() ? "error" : "content", result.content());
                    }
                }
            }
        }
        if (!conversation.tools().isEmpty()) {
            ArrayNode declarations = root.putArray("tools").addObject().putArray("functionDeclarations");
            for (Conversation.Tool tool : conversation.tools()) {
                ObjectNode declaration = declarations.addObject().put("name", tool.name());
                if (tool.description() != null) {
                    declaration.put("description", tool.description());
                }
                declaration.set("parameters", openApiSchema(tool.parameters()));
            }
            Conversation.ToolChoice choice = conversation.toolChoice();
            if (choice != null) {
                ObjectNode config = root.putObject("toolConfig").putObject("functionCallingConfig");
                switch (choice.mode()) {
                    case AUTO -> config.put("mode", "AUTO");
                    case NONE -> config.put("mode", "NONE");
                    case REQUIRED -> config.put("mode", "ANY");
                    case TOOL -> config.put("mode", "ANY").putArray("allowedFunctionNames").add(choice.name());
                }
            }
        }
        ObjectNode generation = NODES.objectNode();
        if (conversation.maxTokens() != null) {
            generation.put("maxOutputTokens", conversation.maxTokens());
        }
        if (conversation.temperature() != null) {
            generation.put("temperature", conversation.temperature());
        }
        if (conversation.topP() != null) {
            generation.put("topP", conversation.topP());
        }
        if (!conversation.stop().isEmpty()) {
            ArrayNode stop = generation.putArray("stopSequences");
            conversation.stop().forEach(stop::add);
        }
        if (!generation.isEmpty()) {
            root.set("generationConfig", generation);
        }
        return root;
    }

    /** Gemini's {@code parameters} take an OpenAPI subset: JSON Schema keywords it rejects are removed. */
    private static JsonNode openApiSchema(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("$schema", "additionalProperties", "strict", "$id", "$defs", "definitions"));
            for (JsonNode child : object.values()) {
                strip(child);
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode child : array) {
                strip(child);
            }
        }
    }

    private static String mimeTypeOf(@Nullable String url) {
        String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        if (lower.endsWith(".webp")) {
            return "image/webp";
        }
        if (lower.endsWith(".gif")) {
            return "image/gif";
        }
        return "image/jpeg";
    }

    static Answer parseAnswer(JsonNode body) {
        List<Part> parts = new ArrayList<>();
        JsonNode candidate = body.path("candidates").path(0);
        int calls = 0;
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.path("thought").asBoolean(false)) {
                continue;
            }
            if (part.path("text").isString()) {
                parts.add(new Part.Text(part.path("text").asString()));
            } else if (part.has("functionCall")) {
                JsonNode call = part.path("functionCall");
                parts.add(new Part.ToolCall(callId(part, calls++), call.path("name").asString(""),
                        Json.argumentsText(call.get("args"))));
            }
        }
        StopReason stop = stopReason(candidate.path("finishReason").asString("STOP"), calls > 0);
        return new Answer(body.path("responseId").asString("gemini"), body.path("modelVersion").asString(""), parts,
                stop, parseUsage(body.get("usageMetadata")));
    }

    /**
     * The id callers see for a function call. Gemini's thinking models sign their function calls
     * ({@code thoughtSignature}) and reject the next turn if the signature does not come back with the call; callers
     * of other protocols only echo the call id, so the signature travels inside it (base64url, which every protocol's
     * id syntax allows) and {@link #signatureOf} takes it out again. Stateless, so any replica can continue.
     */
    static String callId(JsonNode part, int index) {
        JsonNode call = part.path("functionCall");
        JsonNode id = call.get("id");
        String base = id != null && id.isString() && !id.asString().isEmpty() ? id.asString()
                : "call_" + index + "_" + call.path("name").asString("tool").replaceAll("[^A-Za-z0-9]", "");
        JsonNode signature = part.get("thoughtSignature");
        if (signature == null || !signature.isString() || signature.asString().isEmpty()) {
            return base;
        }
        String urlSafe = signature.asString().replace('+', '-').replace('/', '_').replace("=", "");
        return base.replaceAll("[^A-Za-z0-9-]", "") + SIGNATURE_MARK + urlSafe;
    }

    static String withoutSignature(String callId) {
        int at = callId.indexOf(SIGNATURE_MARK);
        return at < 0 ? callId : callId.substring(0, at);
    }

    /** The thought signature carried in a call id, in Gemini's (standard base64) form, or null. */
    static @Nullable String signatureOf(String callId) {
        int at = callId.indexOf(SIGNATURE_MARK);
        if (at < 0) {
            return null;
        }
        String signature = callId.substring(at + SIGNATURE_MARK.length()).replace('-', '+').replace('_', '/');
        return signature + "=".repeat((4 - signature.length() % 4) % 4);
    }

    static StopReason stopReason(String finish, boolean calledTools) {
        return switch (finish) {
            case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" ->
                    StopReason.CONTENT_FILTER;
            default -> calledTools ? StopReason.TOOL_USE : StopReason.END_TURN;
        };
    }

    static Usage parseUsage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        long thoughts = usage.path("thoughtsTokenCount").asLong(0);
        return new Usage(usage.path("promptTokenCount").asLong(0),
                usage.path("candidatesTokenCount").asLong(0) + thoughts,
                usage.path("cachedContentTokenCount").asLong(0), thoughts);
    }

    /** {@code streamGenerateContent?alt=sse}: each event a partial GenerateContentResponse. */
    static DeltaStream parseStream(EventStream events) {
        return new EventDeltaStream(events) {
            private boolean started;
            private int calls;
            private @Nullable String finish;

            @Override
            protected boolean read(SseEvent event, Consumer<Delta> out) throws IOException {
                JsonNode chunk;
                try {
                    chunk = Json.MAPPER.readTree(event.data());
                } catch (JacksonException e) {
                    throw new IOException("provider sent an event that is not JSON");
                }
                if (chunk.has("error")) {
                    throw new IOException("provider error mid-stream: "
                            + chunk.path("error").path("message").asString("unknown"));
                }
                if (!started) {
                    started = true;
                    out.accept(new Delta.Start(chunk.path("responseId").asString("gemini"),
                            chunk.path("modelVersion").asString("")));
                }
                JsonNode candidate = chunk.path("candidates").path(0);
                for (JsonNode part : candidate.path("content").path("parts")) {
                    if (part.path("thought").asBoolean(false)) {
                        continue;
                    }
                    if (part.path("text").isString() && !part.path("text").asString().isEmpty()) {
                        out.accept(new Delta.Text(part.path("text").asString()));
                    } else if (part.has("functionCall")) {
                        JsonNode call = part.path("functionCall");
                        out.accept(new Delta.ToolCallStart(callId(part, calls++), call.path("name").asString("")));
                        out.accept(new Delta.ToolArguments(Json.argumentsText(call.get("args"))));
                    }
                }
                if (candidate.path("finishReason").isString()) {
                    finish = candidate.path("finishReason").asString();
                }
                if (chunk.has("usageMetadata")) {
                    out.accept(new Delta.UsageReport(parseUsage(chunk.get("usageMetadata"))));
                }
                return true;
            }

            @Override
            protected boolean finished() {
                return finish != null;
            }

            @Override
            protected List<Delta> atEnd() {
                // Gemini says STOP even when it called functions; decide once the whole answer is known.
                return finish == null ? List.of() : List.of(new Delta.Stop(stopReason(finish, calls > 0)));
            }
        };
    }
}
