package dev.warden.gateway.surface;

import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Surface;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes sure every stream ends properly in its protocol. It watches the events that pass and, if the stream breaks
 * or ends early, supplies the closing events the caller's client waits for: {@code [DONE]} after an error chunk for
 * Chat Completions, {@code response.failed} for the Responses API, an {@code error} event for Anthropic.
 */
public final class StreamTerminator {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Surface surface;
    private final String model;
    private boolean terminated;
    private int events;
    private @Nullable String responseId;

    public StreamTerminator(Surface surface, String model) {
        this.surface = surface;
        this.model = model;
    }

    public void observe(SseEvent event) {
        events++;
        String type = event.event() != null ? event.event() : dataType(event.data());
        switch (surface) {
            case CHAT_COMPLETIONS -> terminated |= event.isDone();
            case RESPONSES -> {
                if ("response.created".equals(type) && responseId == null) {
                    JsonNode parsed = parse(event.data());
                    if (parsed != null && parsed.path("response").path("id").isString()) {
                        responseId = parsed.path("response").path("id").asString();
                    }
                }
                terminated |= "response.completed".equals(type) || "response.failed".equals(type)
                        || "response.incomplete".equals(type);
            }
            case ANTHROPIC_MESSAGES -> terminated |= "message_stop".equals(type) || "error".equals(type);
            default -> terminated |= event.isDone();
        }
    }

    public boolean terminated() {
        return terminated;
    }

    /** The events that end a broken stream, in the caller's protocol. */
    public List<SseEvent> failure(ErrorKind kind, String message) {
        terminated = true;
        return switch (surface) {
            case RESPONSES -> {
                ObjectNode event = NODES.objectNode();
                event.put("type", "response.failed");
                event.put("sequence_number", events);
                ObjectNode response = event.putObject("response");
                response.put("id", responseId != null ? responseId : "resp_failed");
                response.put("object", "response");
                response.put("status", "failed");
                response.put("model", model);
                ObjectNode error = response.putObject("error");
                error.put("code", "server_error");
                error.put("message", message);
                response.putArray("output");
                response.putNull("usage");
                yield List.of(new SseEvent("response.failed", JSON.writeValueAsString(event)));
            }
            case ANTHROPIC_MESSAGES -> List.of(new SseEvent("error",
                    JSON.writeValueAsString(ErrorBodies.body(Surface.Protocol.ANTHROPIC, kind, message, null))));
            default -> List.of(
                    new SseEvent(null, JSON.writeValueAsString(ErrorBodies.body(Surface.Protocol.OPENAI, kind,
                            message, null))),
                    SseEvent.DONE);
        };
    }

    private static @Nullable String dataType(String data) {
        // Cheap check first: only the few terminal events need a parse.
        if (!data.startsWith("{")) {
            return null;
        }
        int at = data.indexOf("\"type\"");
        if (at < 0 || at > 40) {
            return null;
        }
        JsonNode parsed = parse(data);
        return parsed == null ? null : parsed.path("type").asString(null);
    }

    private static @Nullable JsonNode parse(String data) {
        try {
            return JSON.readTree(data);
        } catch (JacksonException e) {
            return null;
        }
    }
}
