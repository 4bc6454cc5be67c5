package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.providers.translate.AnthropicCodec;
import dev.warden.gateway.providers.translate.ChatCodec;
import dev.warden.gateway.providers.translate.Delta;
import dev.warden.gateway.providers.translate.DeltaStream;
import dev.warden.gateway.providers.translate.Part;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a caller sees, read from its own protocol: the answer's text, tool calls, usage and stop. Streams are checked
 * against their protocol's event grammar on the way (a broken sequence fails the test, naming the event).
 */
public record CallerView(String text, List<Part.ToolCall> toolCalls, Usage usage, @Nullable String stop) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static CallerView ofJson(Surface surface, byte[] body) {
        JsonNode root = JSON.readTree(body);
        return switch (surface) {
            case CHAT_COMPLETIONS -> {
                assertThat(root.path("object").asString()).isEqualTo("chat.completion");
                var answer = ChatCodec.parseAnswer(root);
                yield new CallerView(answer.text(), answer.toolCalls(), answer.usage(),
                        root.path("choices").path(0).path("finish_reason").asString());
            }
            case ANTHROPIC_MESSAGES -> {
                assertThat(root.path("type").asString()).isEqualTo("message");
                var answer = AnthropicCodec.parseAnswer(root);
                yield new CallerView(answer.text(), answer.toolCalls(), answer.usage(),
                        root.path("stop_reason").asString());
            }
            case RESPONSES -> {
                assertThat(root.path("object").asString()).isEqualTo("response");
                yield fromResponse(root);
            }
            default -> throw new IllegalArgumentException(surface.toString());
        };
    }

    private static CallerView fromResponse(JsonNode response) {
        StringBuilder text = new StringBuilder();
        List<Part.ToolCall> calls = new ArrayList<>();
        for (JsonNode item : response.path("output")) {
            switch (item.path("type").asString()) {
                case "message" -> {
                    for (JsonNode part : item.path("content")) {
                        text.append(part.path("text").asString(""));
                    }
                }
                case "function_call" -> calls.add(new Part.ToolCall(item.path("call_id").asString(),
                        item.path("name").asString(), item.path("arguments").asString()));
                default -> {
                }
            }
        }
        JsonNode usage = response.path("usage");
        return new CallerView(text.toString(), calls, new Usage(usage.path("input_tokens").asLong(),
                usage.path("output_tokens").asLong(), usage.path("input_tokens_details").path("cached_tokens").asLong(),
                usage.path("output_tokens_details").path("reasoning_tokens").asLong()),
                response.path("status").asString());
    }

    public static List<SseEvent> drain(EventStream stream) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        try (stream) {
            SseEvent event;
            while ((event = stream.next()) != null) {
                events.add(event);
            }
        }
        return events;
    }

    public static CallerView ofStream(Surface surface, List<SseEvent> events) throws IOException {
        assertThat(events).as("events").isNotEmpty();
        return switch (surface) {
            case CHAT_COMPLETIONS -> {
                assertThat(events.getLast().isDone()).as("chat stream ends in [DONE]").isTrue();
                for (SseEvent event : events.subList(0, events.size() - 1)) {
                    assertThat(JSON.readTree(event.data()).path("object").asString())
                            .isEqualTo("chat.completion.chunk");
                }
                String finish = null;
                for (SseEvent event : events) {
                    if (!event.isDone()) {
                        JsonNode reason = JSON.readTree(event.data()).path("choices").path(0).get("finish_reason");
                        if (reason != null && reason.isString()) {
                            finish = reason.asString();
                        }
                    }
                }
                yield accumulate(ChatCodec.parseStream(new ListEventStream(events)), finish);
            }
            case ANTHROPIC_MESSAGES -> {
                checkAnthropicGrammar(events);
                String stop = JSON.readTree(events.get(events.size() - 2).data()).path("delta").path("stop_reason")
                        .asString();
                yield accumulate(AnthropicCodec.parseStream(new ListEventStream(events)), stop);
            }
            case RESPONSES -> checkResponsesGrammar(events);
            default -> throw new IllegalArgumentException(surface.toString());
        };
    }

    private static CallerView accumulate(DeltaStream deltas, @Nullable String stop) throws IOException {
        StringBuilder text = new StringBuilder();
        List<String[]> calls = new ArrayList<>();
        Usage usage = Usage.NONE;
        Delta delta;
        while ((delta = deltas.next()) != null) {
            switch (delta) {
                case Delta.Text t -> text.append(t.text());
                case Delta.ToolCallStart c -> calls.add(new String[] {c.id(), c.name(), ""});
                case Delta.ToolArguments a -> calls.getLast()[2] += a.fragment();
                case Delta.UsageReport u -> usage = u.mergedInto(usage);
                default -> {
                }
            }
        }
        return new CallerView(text.toString(), calls.stream().map(c -> new Part.ToolCall(c[0], c[1], c[2])).toList(),
                usage, stop);
    }

    /** message_start, then balanced content blocks, then message_delta and message_stop. */
    static void checkAnthropicGrammar(List<SseEvent> events) {
        List<String> types = new ArrayList<>();
        for (SseEvent event : events) {
            String type = JSON.readTree(event.data()).path("type").asString();
            assertThat(event.event()).as("event name of " + event.data()).isEqualTo(type);
            types.add(type);
        }
        assertThat(types.getFirst()).isEqualTo("message_start");
        assertThat(types.getLast()).isEqualTo("message_stop");
        assertThat(types.get(types.size() - 2)).isEqualTo("message_delta");
        int open = -1;
        int next = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonNode data = JSON.readTree(events.get(i).data());
            switch (types.get(i)) {
                case "content_block_start" -> {
                    assertThat(open).as("block started while block " + open + " open").isEqualTo(-1);
                    assertThat(data.path("index").asInt()).isEqualTo(next);
                    open = next++;
                }
                case "content_block_delta" -> assertThat(data.path("index").asInt()).isEqualTo(open);
                case "content_block_stop" -> {
                    assertThat(data.path("index").asInt()).isEqualTo(open);
                    open = -1;
                }
                case "message_delta" -> {
                    assertThat(open).as("message_delta with a block open").isEqualTo(-1);
                    assertThat(data.path("usage").path("output_tokens").isNumber()).isTrue();
                }
                default -> {
                }
            }
        }
    }

    /**
     * The Responses stream grammar: sequence numbers 0..n, created then in_progress first, each output item added
     * and done once with matching deltas, and a final response.completed (or incomplete) carrying usage and the
     * items that were streamed.
     */
    public static CallerView checkResponsesGrammar(List<SseEvent> events) {
        List<JsonNode> data = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = JSON.readTree(events.get(i).data());
            assertThat(events.get(i).event()).as("event name of " + event).isEqualTo(event.path("type").asString());
            assertThat(event.path("sequence_number").asInt(-1)).as("sequence_number of " + event).isEqualTo(i);
            data.add(event);
        }
        assertThat(data.get(0).path("type").asString()).isEqualTo("response.created");
        assertThat(data.get(1).path("type").asString()).isEqualTo("response.in_progress");
        JsonNode last = data.getLast();
        assertThat(last.path("type").asString()).isIn("response.completed", "response.incomplete");
        assertThat(last.path("response").path("usage").isObject()).as("usage on the final event").isTrue();
        Map<Integer, StringBuilder> deltas = new HashMap<>();
        Map<Integer, String> added = new HashMap<>();
        List<JsonNode> done = new ArrayList<>();
        for (JsonNode event : data.subList(2, data.size() - 1)) {
            int index = event.path("output_index").asInt(-1);
            switch (event.path("type").asString()) {
                case "response.output_item.added" -> {
                    assertThat(added).as("output_index " + index + " added twice").doesNotContainKey(index);
                    assertThat(index).isEqualTo(added.size());
                    added.put(index, event.path("item").path("id").asString());
                }
                case "response.output_text.delta", "response.function_call_arguments.delta" -> {
                    assertThat(added).containsKey(index);
                    assertThat(event.path("item_id").asString()).isEqualTo(added.get(index));
                    deltas.computeIfAbsent(index, k -> new StringBuilder()).append(event.path("delta").asString());
                }
                case "response.output_text.done" -> assertThat(event.path("text").asString())
                        .isEqualTo(deltas.getOrDefault(index, new StringBuilder()).toString());
                case "response.function_call_arguments.done" -> {
                    String streamed = deltas.getOrDefault(index, new StringBuilder()).toString();
                    assertThat(event.path("arguments").asString()).isEqualTo(streamed.isEmpty() ? "{}" : streamed);
                }
                case "response.output_item.done" -> {
                    assertThat(event.path("item").path("id").asString()).isEqualTo(added.get(index));
                    assertThat(event.path("item").path("status").asString()).isEqualTo("completed");
                    done.add(event.path("item"));
                }
                case "response.content_part.added", "response.content_part.done" ->
                        assertThat(event.path("item_id").asString()).isEqualTo(added.get(index));
                default -> throw new AssertionError("unexpected event " + event);
            }
        }
        assertThat(done).hasSameSizeAs(added.keySet());
        assertThat(last.path("response").path("output").size()).isEqualTo(done.size());
        return fromResponse(last.path("response"));
    }
}
