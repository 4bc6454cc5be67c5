package dev.warden.gateway.providers.demo;

import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Usage;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Chat Completions answers of the demo provider, plain and streamed, in OpenAI's wire format. */
final class DemoChat {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DemoChat() {
    }

    static ObjectNode completion(DemoTurn turn, String id, long created, String model, Usage usage) {
        ObjectNode root = header("chat.completion", id, created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (turn.isToolCall()) {
            message.putNull("content");
            ObjectNode call = message.putArray("tool_calls").addObject();
            call.put("id", "call_" + id);
            call.put("type", "function");
            call.putObject("function").put("name", turn.toolName()).put("arguments", turn.toolArguments());
            choice.put("finish_reason", "tool_calls");
        } else {
            message.put("content", turn.text());
            message.putNull("refusal");
            choice.put("finish_reason", "stop");
        }
        choice.putNull("logprobs");
        root.set("usage", usage(usage));
        return root;
    }

    static List<SseEvent> events(DemoTurn turn, String id, long created, String model, Usage usage,
                                 boolean includeUsage) {
        List<SseEvent> events = new ArrayList<>();
        ObjectNode first = chunk(id, created, model);
        ObjectNode delta = first.withArray("choices").addObject().put("index", 0).putObject("delta");
        delta.put("role", "assistant");
        if (turn.isToolCall()) {
            delta.putNull("content");
            ObjectNode call = delta.putArray("tool_calls").addObject();
            call.put("index", 0).put("id", "call_" + id).put("type", "function");
            call.putObject("function").put("name", turn.toolName()).put("arguments", "");
            finish(first, null);
            events.add(event(first));
            String arguments = turn.toolArguments();
            int half = arguments.length() / 2;
            for (String part : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
                ObjectNode next = chunk(id, created, model);
                ObjectNode d = next.withArray("choices").addObject().put("index", 0).putObject("delta");
                d.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", part);
                finish(next, null);
                events.add(event(next));
            }
        } else {
            delta.put("content", "");
            finish(first, null);
            events.add(event(first));
            for (String part : turn.chunks()) {
                ObjectNode next = chunk(id, created, model);
                next.withArray("choices").addObject().put("index", 0).putObject("delta").put("content", part);
                finish(next, null);
                events.add(event(next));
            }
        }
        ObjectNode last = chunk(id, created, model);
        last.withArray("choices").addObject().put("index", 0).putObject("delta");
        finish(last, turn.isToolCall() ? "tool_calls" : "stop");
        events.add(event(last));
        if (includeUsage) {
            ObjectNode usageChunk = chunk(id, created, model);
            usageChunk.putArray("choices");
            usageChunk.set("usage", usage(usage));
            events.add(event(usageChunk));
        }
        events.add(SseEvent.DONE);
        return events;
    }

    private static ObjectNode header(String object, String id, long created, String model) {
        ObjectNode root = NODES.objectNode();
        root.put("id", "chatcmpl-demo-" + id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        root.put("system_fingerprint", "warden-demo");
        return root;
    }

    private static ObjectNode chunk(String id, long created, String model) {
        return header("chat.completion.chunk", id, created, model);
    }

    private static void finish(ObjectNode chunk, String reason) {
        ObjectNode choice = (ObjectNode) chunk.withArray("choices").get(0);
        if (reason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", reason);
        }
        choice.putNull("logprobs");
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

    private static SseEvent event(ObjectNode chunk) {
        return new SseEvent(null, JSON.writeValueAsString(chunk));
    }

}
