package dev.warden.gateway.providers.demo;

import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Usage;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Responses API answers of the demo provider. Streams carry the full event sequence Codex and the SDKs read:
 * created, in_progress, output_item.added, content_part.added, output_text.delta…, output_text.done,
 * content_part.done, output_item.done, completed (with usage); function calls use function_call_arguments events.
 */
final class DemoResponses {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DemoResponses() {
    }

    static ObjectNode response(DemoTurn turn, String id, long created, String model, Usage usage, JsonNode request,
                               String status) {
        ObjectNode root = NODES.objectNode();
        root.put("id", "resp_demo_" + id);
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
        root.put("model", model);
        root.putArray("output");
        root.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
        root.put("tool_choice", "auto");
        root.set("tools", request.has("tools") ? request.get("tools") : NODES.arrayNode());
        root.put("store", request.path("store").asBoolean(true));
        root.put("temperature", 1.0);
        root.put("top_p", 1.0);
        root.putObject("text").putObject("format").put("type", "text");
        root.putObject("metadata");
        if ("completed".equals(status)) {
            root.withArray("output").add(item(turn, id, "completed"));
            root.set("usage", usage(usage));
        } else {
            root.putNull("usage");
        }
        return root;
    }

    static List<SseEvent> events(DemoTurn turn, String id, long created, String model, Usage usage,
                                 JsonNode request) {
        List<ObjectNode> events = new ArrayList<>();
        ObjectNode inProgress = response(turn, id, created, model, usage, request, "in_progress");
        events.add(event("response.created").set("response", inProgress));
        events.add(event("response.in_progress").set("response", inProgress.deepCopy()));
        ObjectNode added = event("response.output_item.added");
        added.put("output_index", 0);
        added.set("item", item(turn, id, "in_progress"));
        events.add(added);
        String itemId = itemId(turn, id);
        if (turn.isToolCall()) {
            String arguments = turn.toolArguments();
            int half = arguments.length() / 2;
            for (String part : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
                events.add(event("response.function_call_arguments.delta").put("item_id", itemId)
                        .put("output_index", 0).put("delta", part));
            }
            events.add(event("response.function_call_arguments.done").put("item_id", itemId).put("output_index", 0)
                    .put("arguments", arguments));
        } else {
            ObjectNode partAdded = event("response.content_part.added").put("item_id", itemId)
                    .put("output_index", 0).put("content_index", 0);
            partAdded.set("part", part(""));
            events.add(partAdded);
            for (String chunk : turn.chunks()) {
                ObjectNode delta = event("response.output_text.delta").put("item_id", itemId).put("output_index", 0)
                        .put("content_index", 0).put("delta", chunk);
                delta.putArray("logprobs");
                events.add(delta);
            }
            ObjectNode textDone = event("response.output_text.done").put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0).put("text", turn.text());
            textDone.putArray("logprobs");
            events.add(textDone);
            ObjectNode partDone = event("response.content_part.done").put("item_id", itemId).put("output_index", 0)
                    .put("content_index", 0);
            partDone.set("part", part(turn.text()));
            events.add(partDone);
        }
        ObjectNode itemDone = event("response.output_item.done");
        itemDone.put("output_index", 0);
        itemDone.set("item", item(turn, id, "completed"));
        events.add(itemDone);
        events.add(event("response.completed").set("response",
                response(turn, id, created, model, usage, request, "completed")));
        List<SseEvent> sse = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            ObjectNode event = events.get(i);
            event.put("sequence_number", i);
            sse.add(new SseEvent(event.get("type").asString(), JSON.writeValueAsString(event)));
        }
        return sse;
    }

    private static ObjectNode event(String type) {
        ObjectNode event = NODES.objectNode();
        event.put("type", type);
        return event;
    }

    private static String itemId(DemoTurn turn, String id) {
        return (turn.isToolCall() ? "fc_demo_" : "msg_demo_") + id;
    }

    static ObjectNode item(DemoTurn turn, String id, String status) {
        ObjectNode item = NODES.objectNode();
        if (turn.isToolCall()) {
            item.put("type", "function_call");
            item.put("id", itemId(turn, id));
            item.put("call_id", "call_" + id);
            item.put("name", turn.toolName());
            item.put("arguments", "completed".equals(status) ? turn.toolArguments() : "");
            item.put("status", status);
            return item;
        }
        item.put("type", "message");
        item.put("id", itemId(turn, id));
        item.put("status", status);
        item.put("role", "assistant");
        var content = item.putArray("content");
        if ("completed".equals(status)) {
            content.add(part(turn.text()));
        }
        return item;
    }

    private static ObjectNode part(String text) {
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
}
