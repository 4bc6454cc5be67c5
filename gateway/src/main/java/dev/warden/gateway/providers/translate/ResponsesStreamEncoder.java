package dev.warden.gateway.providers.translate;

import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Usage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The full Responses API event sequence, as OpenAI sends it and Codex reads it: response.created,
 * response.in_progress; per text item output_item.added, content_part.added, output_text.delta…, output_text.done,
 * content_part.done, output_item.done; per function call output_item.added, function_call_arguments.delta…,
 * function_call_arguments.done, output_item.done; then response.completed with the whole output and usage
 * (response.incomplete when the answer hit the output cap). Every event carries a sequence_number.
 */
public final class ResponsesStreamEncoder implements StreamEncoder {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private enum Block { NONE, TEXT, TOOL }

    private String id;
    private final String model;
    private final JsonNode request;
    private final long created = System.currentTimeMillis() / 1000;
    private final ArrayNode output = NODES.arrayNode();
    private boolean started;
    private int sequence;
    private Block block = Block.NONE;
    private final StringBuilder text = new StringBuilder();
    private String itemId = "";
    private String callId = "";
    private String toolName = "";
    private final StringBuilder arguments = new StringBuilder();
    private @Nullable StopReason stop;
    private Usage usage = Usage.NONE;

    public ResponsesStreamEncoder(String id, String model, JsonNode request) {
        this.id = id;
        this.model = model;
        this.request = request;
    }

    @Override
    public List<SseEvent> encode(Delta delta) {
        List<SseEvent> events = new ArrayList<>(4);
        switch (delta) {
            case Delta.Start s -> {
                if (!started) {
                    id = ResponsesCodec.responseId(s.id());
                }
            }
            case Delta.Text t -> {
                start(events);
                if (block != Block.TEXT) {
                    closeBlock(events);
                    openText(events);
                }
                text.append(t.text());
                ObjectNode event = event("response.output_text.delta").put("item_id", itemId)
                        .put("output_index", output.size()).put("content_index", 0).put("delta", t.text());
                event.putArray("logprobs");
                add(events, event);
            }
            case Delta.ToolCallStart call -> {
                start(events);
                closeBlock(events);
                block = Block.TOOL;
                callId = call.id();
                toolName = call.name();
                itemId = "fc_" + shortId() + "_" + output.size();
                arguments.setLength(0);
                ObjectNode added = event("response.output_item.added").put("output_index", output.size());
                added.set("item", functionCall("in_progress"));
                add(events, added);
            }
            case Delta.ToolArguments fragment -> {
                if (block == Block.TOOL && !fragment.fragment().isEmpty()) {
                    arguments.append(fragment.fragment());
                    add(events, event("response.function_call_arguments.delta").put("item_id", itemId)
                            .put("output_index", output.size()).put("delta", fragment.fragment()));
                }
            }
            case Delta.Stop s -> stop = s.reason();
            case Delta.UsageReport report -> usage = report.mergedInto(usage);
        }
        return events;
    }

    @Override
    public List<SseEvent> finish() {
        List<SseEvent> events = new ArrayList<>(6);
        start(events);
        closeBlock(events);
        boolean incomplete = stop == StopReason.MAX_TOKENS;
        ObjectNode response = ResponsesCodec.response(id, created, model, incomplete ? "incomplete" : "completed",
                request, output, usage);
        if (incomplete) {
            response.putObject("incomplete_details").put("reason", "max_output_tokens");
        }
        add(events, event(incomplete ? "response.incomplete" : "response.completed").set("response", response));
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
        ObjectNode response = ResponsesCodec.response(id, created, model, "in_progress", request, NODES.arrayNode(),
                null);
        add(events, event("response.created").set("response", response));
        add(events, event("response.in_progress").set("response", response.deepCopy()));
    }

    private void openText(List<SseEvent> events) {
        block = Block.TEXT;
        text.setLength(0);
        itemId = "msg_" + shortId() + "_" + output.size();
        ObjectNode added = event("response.output_item.added").put("output_index", output.size());
        added.set("item", message("in_progress"));
        add(events, added);
        ObjectNode part = event("response.content_part.added").put("item_id", itemId)
                .put("output_index", output.size()).put("content_index", 0);
        part.set("part", ResponsesCodec.outputText(""));
        add(events, part);
    }

    private void closeBlock(List<SseEvent> events) {
        switch (block) {
            case NONE -> {
                return;
            }
            case TEXT -> {
                ObjectNode done = event("response.output_text.done").put("item_id", itemId)
                        .put("output_index", output.size()).put("content_index", 0).put("text", text.toString());
                done.putArray("logprobs");
                add(events, done);
                ObjectNode partDone = event("response.content_part.done").put("item_id", itemId)
                        .put("output_index", output.size()).put("content_index", 0);
                partDone.set("part", ResponsesCodec.outputText(text.toString()));
                add(events, partDone);
                ObjectNode item = message("completed");
                ObjectNode itemDone = event("response.output_item.done").put("output_index", output.size());
                itemDone.set("item", item);
                add(events, itemDone);
                output.add(item.deepCopy());
            }
            case TOOL -> {
                add(events, event("response.function_call_arguments.done").put("item_id", itemId)
                        .put("output_index", output.size()).put("arguments", argumentsOrEmptyObject()));
                ObjectNode item = functionCall("completed");
                ObjectNode itemDone = event("response.output_item.done").put("output_index", output.size());
                itemDone.set("item", item);
                add(events, itemDone);
                output.add(item.deepCopy());
            }
        }
        block = Block.NONE;
    }

    private String argumentsOrEmptyObject() {
        return arguments.isEmpty() ? "{}" : arguments.toString();
    }

    private ObjectNode message(String status) {
        ObjectNode item = NODES.objectNode();
        item.put("id", itemId).put("type", "message").put("status", status).put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if ("completed".equals(status)) {
            content.add(ResponsesCodec.outputText(text.toString()));
        }
        return item;
    }

    private ObjectNode functionCall(String status) {
        ObjectNode item = NODES.objectNode();
        item.put("id", itemId).put("type", "function_call").put("status", status)
                .put("arguments", "completed".equals(status) ? argumentsOrEmptyObject() : "")
                .put("call_id", callId).put("name", toolName);
        return item;
    }

    private String shortId() {
        return id.startsWith("resp_") ? id.substring(5) : id;
    }

    private ObjectNode event(String type) {
        return NODES.objectNode().put("type", type);
    }

    private void add(List<SseEvent> events, ObjectNode event) {
        event.put("sequence_number", sequence++);
        events.add(new SseEvent(event.get("type").asString(), JSON.writeValueAsString(event)));
    }
}
