package dev.warden.gateway.providers.translate;

import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Usage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Chat Completions chunks: a role chunk, content or tool-call chunks, a finish chunk, usage if asked, [DONE]. */
public final class ChatStreamEncoder implements StreamEncoder {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private String id;
    private String model;
    private final long created = System.currentTimeMillis() / 1000;
    private final boolean includeUsage;
    private boolean started;
    private int toolIndex = -1;
    private @Nullable StopReason stop;
    private Usage usage = Usage.NONE;

    public ChatStreamEncoder(String id, String model, boolean includeUsage) {
        this.id = id;
        this.model = model;
        this.includeUsage = includeUsage;
    }

    @Override
    public List<SseEvent> encode(Delta delta) {
        List<SseEvent> events = new ArrayList<>(2);
        switch (delta) {
            case Delta.Start s -> {
                if (!started) {
                    id = chatId(s.id());
                }
            }
            case Delta.Text t -> {
                start(events);
                ObjectNode chunk = chunk();
                delta(chunk).put("content", t.text());
                events.add(event(chunk));
            }
            case Delta.ToolCallStart call -> {
                start(events);
                toolIndex++;
                ObjectNode chunk = chunk();
                ObjectNode tool = delta(chunk).putArray("tool_calls").addObject();
                tool.put("index", toolIndex).put("id", call.id()).put("type", "function");
                tool.putObject("function").put("name", call.name()).put("arguments", "");
                events.add(event(chunk));
            }
            case Delta.ToolArguments arguments -> {
                if (toolIndex >= 0 && !arguments.fragment().isEmpty()) {
                    ObjectNode chunk = chunk();
                    delta(chunk).putArray("tool_calls").addObject().put("index", toolIndex).putObject("function")
                            .put("arguments", arguments.fragment());
                    events.add(event(chunk));
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
        ObjectNode last = chunk();
        delta(last);
        StopReason reason = stop != null ? stop : toolIndex >= 0 ? StopReason.TOOL_USE : StopReason.END_TURN;
        ((ObjectNode) last.path("choices").get(0)).put("finish_reason", reason.openAi());
        events.add(event(last));
        if (includeUsage) {
            ObjectNode usageChunk = header();
            usageChunk.putArray("choices");
            usageChunk.set("usage", ChatCodec.usage(usage));
            events.add(event(usageChunk));
        }
        events.add(SseEvent.DONE);
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
        ObjectNode chunk = chunk();
        delta(chunk).put("role", "assistant").put("content", "");
        events.add(event(chunk));
    }

    private ObjectNode header() {
        ObjectNode root = NODES.objectNode();
        root.put("id", id);
        root.put("object", "chat.completion.chunk");
        root.put("created", created);
        root.put("model", model);
        return root;
    }

    private ObjectNode chunk() {
        ObjectNode root = header();
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return root;
    }

    private static ObjectNode delta(ObjectNode chunk) {
        return (ObjectNode) chunk.path("choices").get(0).get("delta");
    }

    static String chatId(String id) {
        return id.startsWith("chatcmpl") ? id : "chatcmpl-" + id;
    }

    private static SseEvent event(ObjectNode chunk) {
        return new SseEvent(null, JSON.writeValueAsString(chunk));
    }
}
