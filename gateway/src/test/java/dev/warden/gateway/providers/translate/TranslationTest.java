package dev.warden.gateway.providers.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.providers.CallerView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Converters between caller protocols and the canonical model, and the stream encoders' event grammar. */
class TranslationTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Usage USAGE = new Usage(120, 30, 100, 7);

    private static final String CHAT = """
            {"model":"m","max_completion_tokens":300,"temperature":0.2,"stop":["END"],
             "tool_choice":{"type":"function","function":{"name":"get_weather"}},
             "messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":[{"type":"text","text":"What is this?"},
                {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18C"},
              {"role":"user","content":"Thanks"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather",
               "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}
            """;

    @Test
    void chatRequestSurvivesARoundTrip() {
        Conversation parsed = ChatCodec.parseRequest(JSON.readTree(CHAT));

        assertThat(parsed.system()).isEqualTo("Be brief.");
        assertThat(parsed.maxTokens()).isEqualTo(300);
        assertThat(parsed.toolChoice()).isEqualTo(Conversation.ToolChoice.tool("get_weather"));
        assertThat(parsed.messages()).extracting(Conversation.Message::role).containsExactly(
                Conversation.Role.USER, Conversation.Role.ASSISTANT, Conversation.Role.USER);
        assertThat(parsed.messages().get(0).parts().get(1)).isEqualTo(
                new Part.Image("image/png", "iVBORw0KGgo=", null));
        assertThat(parsed.messages().get(2).parts()).containsExactly(new Part.ToolResult("call_1", "18C", false),
                new Part.Text("Thanks"));

        Conversation again = ChatCodec.parseRequest(ChatCodec.writeRequest(parsed, "m", false));
        assertThat(again).isEqualTo(parsed);
    }

    @Test
    void chatRequestBecomesAnthropicAndBack() {
        Conversation parsed = ChatCodec.parseRequest(JSON.readTree(CHAT));
        ObjectNode anthropic = AnthropicCodec.writeRequest(parsed, "claude", true);

        assertThat(anthropic.path("system").asString()).isEqualTo("Be brief.");
        assertThat(anthropic.path("max_tokens").asLong()).isEqualTo(300);
        assertThat(anthropic.path("stream").asBoolean()).isTrue();
        assertThat(anthropic.path("stop_sequences").get(0).asString()).isEqualTo("END");
        assertThat(anthropic.path("tool_choice").path("type").asString()).isEqualTo("tool");
        JsonNode toolUse = anthropic.path("messages").get(1).path("content").get(0);
        assertThat(toolUse.path("type").asString()).isEqualTo("tool_use");
        assertThat(toolUse.path("input").path("city").asString()).isEqualTo("Paris");
        JsonNode result = anthropic.path("messages").get(2).path("content").get(0);
        assertThat(result.path("type").asString()).isEqualTo("tool_result");
        assertThat(result.path("tool_use_id").asString()).isEqualTo("call_1");
        assertThat(anthropic.path("messages").get(0).path("content").get(1).path("source").path("type").asString())
                .isEqualTo("base64");

        assertThat(AnthropicCodec.parseRequest(anthropic)).isEqualTo(parsed);
    }

    @Test
    void anthropicRequestWithoutMaxTokensGetsTheDefault() {
        Conversation conversation = ResponsesCodec.parseRequest(JSON.readTree("{\"input\":\"hi\"}"));
        assertThat(AnthropicCodec.writeRequest(conversation, "c", false).path("max_tokens").asLong())
                .isEqualTo(AnthropicCodec.DEFAULT_MAX_TOKENS);
    }

    @Test
    void responsesInputItemsBecomeTurns() {
        Conversation parsed = ResponsesCodec.parseRequest(JSON.readTree("""
                {"model":"m","instructions":"You are Codex.","max_output_tokens":500,
                 "input":[
                  {"type":"message","role":"developer","content":[{"type":"input_text","text":"Use tools."}]},
                  {"type":"message","role":"user","content":[{"type":"input_text","text":"List files"}]},
                  {"type":"reasoning","id":"rs_1","encrypted_content":"opaque","summary":[]},
                  {"type":"function_call","call_id":"call_9","name":"shell","arguments":"{\\"cmd\\":\\"ls\\"}"},
                  {"type":"function_call_output","call_id":"call_9","output":"a.txt"}],
                 "tools":[{"type":"function","name":"shell","parameters":{"type":"object"}},
                          {"type":"web_search"}]}
                """));

        assertThat(parsed.system()).isEqualTo("You are Codex.\n\nUse tools.");
        assertThat(parsed.maxTokens()).isEqualTo(500);
        assertThat(parsed.tools()).extracting(Conversation.Tool::name).containsExactly("shell");
        assertThat(parsed.messages()).containsExactly(
                new Conversation.Message(Conversation.Role.USER, List.of(new Part.Text("List files"))),
                new Conversation.Message(Conversation.Role.ASSISTANT,
                        List.of(new Part.ToolCall("call_9", "shell", "{\"cmd\":\"ls\"}"))),
                new Conversation.Message(Conversation.Role.USER,
                        List.of(new Part.ToolResult("call_9", "a.txt", false))));
    }

    @Test
    void responsesStreamOfTextAndToolCallFollowsTheGrammar() {
        List<SseEvent> events = encode(new ResponsesStreamEncoder("resp_1", "m", JSON.readTree("{}")),
                new Delta.Start("msg_up", "up"), new Delta.UsageReport(new Usage(120, 1, 100, 0)),
                new Delta.Text("Let me "), new Delta.Text("check."), new Delta.ToolCallStart("toolu_1", "shell"),
                new Delta.ToolArguments("{\"cmd\":"), new Delta.ToolArguments("\"ls\"}"),
                new Delta.Stop(StopReason.TOOL_USE), new Delta.UsageReport(new Usage(0, 30, 0, 7)));

        CallerView view = CallerView.checkResponsesGrammar(events);
        assertThat(view.text()).isEqualTo("Let me check.");
        assertThat(view.toolCalls()).extracting(Part.ToolCall::id, Part.ToolCall::name, Part.ToolCall::arguments)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("toolu_1", "shell", "{\"cmd\":\"ls\"}"));
        assertThat(view.usage()).isEqualTo(USAGE);
        assertThat(types(events)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done", "response.completed");
    }

    @Test
    void everyResponsesStreamEndsInCompletedWithUsageEvenWhenTheProviderSentNothing() {
        List<SseEvent> events = encode(new ResponsesStreamEncoder("resp_2", "m", JSON.readTree("{}")));

        CallerView.checkResponsesGrammar(events);
        assertThat(types(events)).containsExactly("response.created", "response.in_progress", "response.completed");
        assertThat(JSON.readTree(events.getLast().data()).path("response").path("usage").isObject()).isTrue();
    }

    @Test
    void responsesStreamCutByTheOutputCapEndsIncomplete() {
        List<SseEvent> events = encode(new ResponsesStreamEncoder("resp_3", "m", JSON.readTree("{}")),
                new Delta.Text("partial"), new Delta.Stop(StopReason.MAX_TOKENS));

        CallerView.checkResponsesGrammar(events);
        JsonNode last = JSON.readTree(events.getLast().data());
        assertThat(last.path("type").asString()).isEqualTo("response.incomplete");
        assertThat(last.path("response").path("incomplete_details").path("reason").asString())
                .isEqualTo("max_output_tokens");
    }

    @Test
    void anthropicStreamHasBalancedBlocksAndUsage() throws Exception {
        List<SseEvent> events = encode(new AnthropicStreamEncoder("msg_1", "m"),
                new Delta.UsageReport(new Usage(120, 0, 100, 0)), new Delta.Text("Let me check."),
                new Delta.ToolCallStart("call_1", "shell"), new Delta.ToolArguments("{\"cmd\":\"ls\"}"),
                new Delta.Stop(StopReason.TOOL_USE), new Delta.UsageReport(new Usage(0, 30, 0, 0)));

        CallerView view = CallerView.ofStream(dev.warden.gateway.pipeline.Surface.ANTHROPIC_MESSAGES, events);
        assertThat(view.text()).isEqualTo("Let me check.");
        assertThat(view.stop()).isEqualTo("tool_use");
        assertThat(view.toolCalls().getFirst().arguments()).isEqualTo("{\"cmd\":\"ls\"}");
        assertThat(view.usage()).isEqualTo(new Usage(120, 30, 100, 0));
    }

    @Test
    void chatStreamHidesUsageUnlessAskedAndEndsInDone() throws Exception {
        Delta[] deltas = {new Delta.Text("Hi"), new Delta.Stop(StopReason.END_TURN), new Delta.UsageReport(USAGE)};
        List<SseEvent> plain = encode(new ChatStreamEncoder("chatcmpl-1", "m", false), deltas);
        List<SseEvent> withUsage = encode(new ChatStreamEncoder("chatcmpl-1", "m", true), deltas);

        assertThat(plain).noneMatch(e -> e.data().contains("\"usage\""));
        assertThat(plain.getLast().isDone()).isTrue();
        CallerView view = CallerView.ofStream(dev.warden.gateway.pipeline.Surface.CHAT_COMPLETIONS, withUsage);
        assertThat(view.text()).isEqualTo("Hi");
        assertThat(view.stop()).isEqualTo("stop");
        assertThat(view.usage()).isEqualTo(USAGE);
    }

    @Test
    void answersRenderInEachProtocol() {
        Answer answer = new Answer("up-1", "up", List.of(new Part.Text("Checking."),
                new Part.ToolCall("toolu_7", "shell", "{\"cmd\":\"ls\"}")), StopReason.TOOL_USE, USAGE);

        ObjectNode chat = ChatCodec.writeAnswer(answer, "m");
        assertThat(chat.path("choices").get(0).path("finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(ChatCodec.parseAnswer(chat).toolCalls()).isEqualTo(answer.toolCalls());
        assertThat(ChatCodec.parseUsage(chat.get("usage"))).isEqualTo(USAGE);

        ObjectNode anthropic = AnthropicCodec.writeAnswer(answer, "m");
        assertThat(anthropic.path("stop_reason").asString()).isEqualTo("tool_use");
        assertThat(anthropic.path("usage").path("input_tokens").asLong()).isEqualTo(20);
        assertThat(anthropic.path("usage").path("cache_read_input_tokens").asLong()).isEqualTo(100);
        assertThat(AnthropicCodec.parseAnswer(anthropic).parts()).isEqualTo(answer.parts());

        ObjectNode responses = ResponsesCodec.writeAnswer(answer, "m", JSON.readTree("{}"));
        assertThat(responses.path("status").asString()).isEqualTo("completed");
        assertThat(responses.path("output")).extracting(item -> item.path("type").asString())
                .containsExactly("message", "function_call");
        assertThat(responses.path("output").get(1).path("call_id").asString()).isEqualTo("toolu_7");
        assertThat(responses.path("usage").path("output_tokens_details").path("reasoning_tokens").asLong())
                .isEqualTo(7);
    }

    @Test
    void stopReasonsMapBothWays() {
        for (StopReason reason : StopReason.values()) {
            assertThat(StopReason.fromAnthropic(reason.anthropic())).isEqualTo(reason);
        }
        assertThat(StopReason.fromOpenAi("length")).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(StopReason.fromOpenAi("tool_calls")).isEqualTo(StopReason.TOOL_USE);
    }

    @Test
    void aProviderStreamThatEndsBeforeItsFinalEventIsAFailureNotAShorterAnswer() throws Exception {
        DeltaStream chat = ChatCodec.parseStream(new dev.warden.gateway.providers.ListEventStream(List.of(
                new SseEvent(null, "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Par\"}}]}"))));
        assertThat(chat.next()).isInstanceOf(Delta.Start.class);
        assertThat(chat.next()).isEqualTo(new Delta.Text("Par"));
        org.assertj.core.api.Assertions.assertThatThrownBy(chat::next).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("ended before the answer was complete");

        DeltaStream anthropic = AnthropicCodec.parseStream(new dev.warden.gateway.providers.ListEventStream(List.of(
                new SseEvent("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Par\"}}"))));
        assertThat(anthropic.next()).isEqualTo(new Delta.Text("Par"));
        org.assertj.core.api.Assertions.assertThatThrownBy(anthropic::next).isInstanceOf(java.io.IOException.class);
    }

    private static List<SseEvent> encode(StreamEncoder encoder, Delta... deltas) {
        List<SseEvent> events = new ArrayList<>();
        for (Delta delta : deltas) {
            events.addAll(encoder.encode(delta));
        }
        events.addAll(encoder.finish());
        return events;
    }

    private static List<String> types(List<SseEvent> events) {
        return events.stream().map(SseEvent::event).toList();
    }
}
