package dev.warden.gateway.providers.demo;

import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Usage;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Anthropic Messages answers of the demo provider, plain and streamed, in Anthropic's wire format. */
final class DemoMessages {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DemoMessages() {
    }

    static ObjectNode message(DemoTurn turn, String id, String model, Usage usage) {
        ObjectNode root = start(id, model);
        var content = root.putArray("content");
        if (turn.isToolCall()) {
            ObjectNode block = content.addObject();
            block.put("type", "tool_use").put("id", "toolu_demo_" + id).put("name", turn.toolName());
            block.set("input", JSON.readTree(turn.toolArguments()));
            root.put("stop_reason", "tool_use");
        } else {
            content.addObject().put("type", "text").put("text", turn.text());
            root.put("stop_reason", "end_turn");
        }
        root.putNull("stop_sequence");
        root.set("usage", usage(usage.inputTokens(), usage.outputTokens()));
        return root;
    }

    static List<SseEvent> events(DemoTurn turn, String id, String model, Usage usage) {
        List<SseEvent> events = new ArrayList<>();
        ObjectNode message = start(id, model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(usage.inputTokens(), 1));
        ObjectNode messageStart = event("message_start");
        messageStart.set("message", message);
        events.add(sse(messageStart));
        ObjectNode blockStart = event("content_block_start").put("index", 0);
        if (turn.isToolCall()) {
            ObjectNode block = blockStart.putObject("content_block");
            block.put("type", "tool_use").put("id", "toolu_demo_" + id).put("name", turn.toolName());
            block.putObject("input");
            events.add(sse(blockStart));
            String arguments = turn.toolArguments();
            int half = arguments.length() / 2;
            for (String part : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
                ObjectNode delta = event("content_block_delta").put("index", 0);
                delta.putObject("delta").put("type", "input_json_delta").put("partial_json", part);
                events.add(sse(delta));
            }
        } else {
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            events.add(sse(blockStart));
            events.add(sse(event("ping")));
            for (String chunk : turn.chunks()) {
                ObjectNode delta = event("content_block_delta").put("index", 0);
                delta.putObject("delta").put("type", "text_delta").put("text", chunk);
                events.add(sse(delta));
            }
        }
        events.add(sse(event("content_block_stop").put("index", 0)));
        ObjectNode messageDelta = event("message_delta");
        messageDelta.putObject("delta").put("stop_reason", turn.isToolCall() ? "tool_use" : "end_turn")
                .putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", usage.outputTokens());
        events.add(sse(messageDelta));
        events.add(sse(event("message_stop")));
        return events;
    }

    private static ObjectNode start(String id, String model) {
        ObjectNode root = NODES.objectNode();
        root.put("id", "msg_demo_" + id);
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", model);
        return root;
    }

    private static ObjectNode usage(long input, long output) {
        ObjectNode node = NODES.objectNode();
        node.put("input_tokens", input);
        node.put("cache_creation_input_tokens", 0);
        node.put("cache_read_input_tokens", 0);
        node.put("output_tokens", output);
        return node;
    }

    private static ObjectNode event(String type) {
        ObjectNode event = NODES.objectNode();
        event.put("type", type);
        return event;
    }

    private static SseEvent sse(ObjectNode event) {
        return new SseEvent(event.get("type").asString(), JSON.writeValueAsString(event));
    }
}
