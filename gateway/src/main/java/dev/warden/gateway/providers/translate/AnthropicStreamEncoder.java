package dev.warden.gateway.providers.translate;

import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Usage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic Messages events: message_start, then per block content_block_start / content_block_delta… /
 * content_block_stop, then message_delta (stop reason and usage) and message_stop.
 */
public final class AnthropicStreamEncoder implements StreamEncoder {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private enum Block { NONE, TEXT, TOOL }

    private String id;
    private String model;
    private boolean started;
    private Block block = Block.NONE;
    private int index = -1;
    private boolean sawTool;
    private @Nullable StopReason stop;
    private Usage usage = Usage.NONE;

    public AnthropicStreamEncoder(String id, String model) {
        this.id = id;
        this.model = model;
    }

    @Override
    public List<SseEvent> encode(Delta delta) {
        List<SseEvent> events = new ArrayList<>(3);
        switch (delta) {
            case Delta.Start s -> {
                if (!started) {
                    id = AnthropicCodec.messageId(s.id());
                }
            }
            case Delta.Text t -> {
                start(events);
                if (block != Block.TEXT) {
                    closeBlock(events);
                    block = Block.TEXT;
                    index++;
                    ObjectNode open = event("content_block_start").put("index", index);
                    open.putObject("content_block").put("type", "text").put("text", "");
                    events.add(sse(open));
                }
                ObjectNode event = event("content_block_delta").put("index", index);
                event.putObject("delta").put("type", "text_delta").put("text", t.text());
                events.add(sse(event));
            }
            case Delta.ToolCallStart call -> {
                start(events);
                closeBlock(events);
                block = Block.TOOL;
                sawTool = true;
                index++;
                ObjectNode open = event("content_block_start").put("index", index);
                ObjectNode content = open.putObject("content_block");
                content.put("type", "tool_use").put("id", AnthropicCodec.toolUseId(call.id())).put("name", call.name());
                content.putObject("input");
                events.add(sse(open));
            }
            case Delta.ToolArguments arguments -> {
                if (block == Block.TOOL && !arguments.fragment().isEmpty()) {
                    ObjectNode event = event("content_block_delta").put("index", index);
                    event.putObject("delta").put("type", "input_json_delta")
                            .put("partial_json", arguments.fragment());
                    events.add(sse(event));
                }
            }
            case Delta.Stop s -> stop = s.reason();
            case Delta.UsageReport report -> usage = report.mergedInto(usage);
        }
        return events;
    }

    @Override
    public List<SseEvent> finish() {
        List<SseEvent> events = new ArrayList<>(4);
        start(events);
        closeBlock(events);
        StopReason reason = stop != null ? stop : sawTool ? StopReason.TOOL_USE : StopReason.END_TURN;
        ObjectNode delta = event("message_delta");
        delta.putObject("delta").put("stop_reason", reason.anthropic()).putNull("stop_sequence");
        delta.set("usage", AnthropicCodec.usage(usage));
        events.add(sse(delta));
        events.add(sse(event("message_stop")));
        return events;
    }

    @Override
    public Usage usage() {
        return usage;
    }

    private void start(List<SseEvent> events) {
        if (started) {
            return;
        }
        started = true;
        ObjectNode message = NODES.objectNode();
        message.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        ObjectNode startUsage = AnthropicCodec.usage(usage);
        startUsage.put("output_tokens", Math.max(1, usage.outputTokens()));
        message.set("usage", startUsage);
        ObjectNode event = event("message_start");
        event.set("message", message);
        events.add(sse(event));
    }

    private void closeBlock(List<SseEvent> events) {
        if (block != Block.NONE) {
            events.add(sse(event("content_block_stop").put("index", index)));
            block = Block.NONE;
        }
    }

    private static ObjectNode event(String type) {
        return NODES.objectNode().put("type", type);
    }

    private static SseEvent sse(ObjectNode event) {
        return new SseEvent(event.get("type").asString(), JSON.writeValueAsString(event));
    }
}
