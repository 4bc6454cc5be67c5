package dev.warden.gateway.providers;

import com.sun.net.httpserver.HttpExchange;
import dev.warden.gateway.providers.translate.ChatCodec;
import dev.warden.gateway.providers.translate.Conversation;
import dev.warden.gateway.providers.translate.ResponsesCodec;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI wire format (and every compatible server: Mistral, Groq, Azure OpenAI) as the API reference documents
 * it: {@code /chat/completions} answering a chat.completion or, streamed, chat.completion.chunk events ending in
 * {@code [DONE]} (usage in a final chunk with empty choices when {@code stream_options.include_usage}); and
 * {@code /responses} answering text. {@code pathPrefix} is where the API lives ({@code /v1}, {@code /openai/v1}…).
 */
public class OpenAiWireFake extends WireFake {
    /**
     * How a compatible server differs from OpenAI. Mistral: usage rides on the finish chunk, a tool call arrives
     * whole in one chunk without an index, no cached/reasoning details. Groq: {@code x_groq.usage} on the finish
     * chunk, empty {@code tool_calls} arrays in every delta, usage chunk only when asked, no details.
     */
    public enum Flavor { OPENAI, MISTRAL, GROQ }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final String pathPrefix;
    private final Flavor flavor;

    public OpenAiWireFake(String pathPrefix) {
        this(pathPrefix, Flavor.OPENAI);
    }

    public OpenAiWireFake(String pathPrefix, Flavor flavor) {
        this.pathPrefix = pathPrefix;
        this.flavor = flavor;
    }

    @Override
    public URI baseUrl() {
        return URI.create(root() + pathPrefix);
    }

    @Override
    public Conversation saw(Received request) {
        var body = JSON.readTree(request.body());
        return request.path().endsWith("/responses") ? ResponsesCodec.parseRequest(body) : ChatCodec.parseRequest(body);
    }

    @Override
    protected String errorBody(int status, String message) {
        String type = status == 429 ? "rate_limit_exceeded" : status == 401 ? "invalid_api_key"
                : status >= 500 ? "server_error" : "invalid_request_error";
        return "{\"error\":{\"message\":" + q(message) + ",\"type\":\"" + type + "\",\"param\":null,\"code\":\""
                + type + "\"}}";
    }

    /** Usage as OpenAI reports it on chat completions. */
    private String usage(Script s) {
        String counts = "{\"prompt_tokens\":" + s.input() + ",\"completion_tokens\":" + s.output()
                + ",\"total_tokens\":" + (s.input() + s.output());
        if (flavor != Flavor.OPENAI) {
            return counts + "}";
        }
        return counts + ",\"prompt_tokens_details\":{\"cached_tokens\":" + s.cached()
                + "},\"completion_tokens_details\":{\"reasoning_tokens\":" + s.reasoning() + "}}";
    }

    protected String answerPath(Received request) {
        return request.path().substring(pathPrefix.length());
    }

    @Override
    protected void answer(Received request, HttpExchange exchange, Script s) throws IOException {
        String path = answerPath(request);
        if (path.equals("/responses")) {
            responses(request, exchange, s);
            return;
        }
        if (!path.equals("/chat/completions")) {
            json(exchange, 404, errorBody(404, "not found: " + request.path()));
            return;
        }
        if (flavor == Flavor.MISTRAL) {
            // Mistral validates strictly: OpenAI-only fields are a 422, as its API answers them.
            for (String field : new String[] {"stream_options", "max_completion_tokens"}) {
                if (JSON.readTree(request.body()).has(field)) {
                    json(exchange, 422, "{\"object\":\"error\",\"message\":{\"detail\":[{\"type\":\"extra_forbidden\","
                            + "\"loc\":[\"body\",\"" + field + "\"],\"msg\":\"Extra inputs are not permitted\"}]},"
                            + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}");
                    return;
                }
            }
        }
        String model = JSON.readTree(request.body()).path("model").asString();
        String head = "\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\",\"created\":1741570283,\"model\":" + q(model)
                + ",\"system_fingerprint\":\"fp_44709d6fcb\"";
        String finish = s.isToolCall() ? "tool_calls" : "stop";
        if (!request.body().contains("\"stream\":true")) {
            String message = s.isToolCall()
                    ? "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_abc123\",\"type\":"
                    + "\"function\",\"function\":{\"name\":" + q(s.toolName()) + ",\"arguments\":"
                    + q(s.toolArguments()) + "}}],\"refusal\":null}"
                    : "{\"role\":\"assistant\",\"content\":" + q(s.text()) + ",\"refusal\":null}";
            json(exchange, 200, "{" + head + ",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                    + message + ",\"logprobs\":null,\"finish_reason\":\"" + finish + "\"}],\"usage\":" + usage(s)
                    + "}");
            return;
        }
        String chunk = "{" + head + ",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":%s,"
                + "\"logprobs\":null,\"finish_reason\":%s}]}";
        List<String[]> events = new ArrayList<>();
        if (s.isToolCall() && flavor == Flavor.MISTRAL) {
            events.add(new String[] {null, chunk.formatted("{\"role\":\"assistant\",\"content\":\"\"}", "null")});
            events.add(new String[] {null, chunk.formatted("{\"content\":\"\",\"tool_calls\":[{\"id\":\"D681PevKs\","
                    + "\"function\":{\"name\":" + q(s.toolName()) + ",\"arguments\":" + q(s.toolArguments())
                    + "}}]}", "null")});
        } else if (s.isToolCall()) {
            events.add(new String[] {null, chunk.formatted("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"
                    + "[{\"index\":0,\"id\":\"call_abc123\",\"type\":\"function\",\"function\":{\"name\":"
                    + q(s.toolName()) + ",\"arguments\":\"\"}}]}", "null")});
            String arguments = s.toolArguments();
            int half = arguments.length() / 2;
            for (String part : new String[] {arguments.substring(0, half), arguments.substring(half)}) {
                events.add(new String[] {null, chunk.formatted("{\"tool_calls\":[{\"index\":0,\"function\":"
                        + "{\"arguments\":" + q(part) + "}}]}", "null")});
            }
        } else {
            events.add(new String[] {null, chunk.formatted("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}",
                    "null")});
            for (String piece : s.pieces()) {
                events.add(new String[] {null, chunk.formatted("{\"content\":" + q(piece)
                        + (flavor == Flavor.GROQ ? ",\"tool_calls\":[]" : "") + "}", "null")});
            }
        }
        String last = chunk.formatted("{}", "\"" + finish + "\"");
        if (flavor == Flavor.MISTRAL) {
            last = last.substring(0, last.length() - 1) + ",\"usage\":" + usage(s) + "}";
        } else if (flavor == Flavor.GROQ) {
            last = last.substring(0, last.length() - 1) + ",\"x_groq\":{\"id\":\"req_01hy8ppkajfqk987jv2vx88m9r\","
                    + "\"usage\":" + usage(s) + "}}";
        }
        events.add(new String[] {null, last});
        if (flavor != Flavor.MISTRAL && request.body().contains("\"include_usage\":true")) {
            events.add(new String[] {null, "{" + head + ",\"object\":\"chat.completion.chunk\",\"choices\":[],"
                    + "\"usage\":" + usage(s) + "}"});
        }
        events.add(new String[] {null, "[DONE]"});
        sse(exchange, events);
    }

    /** The Responses API, text answers only (enough for pass-through). */
    private void responses(Received request, HttpExchange exchange, Script s) throws IOException {
        String model = JSON.readTree(request.body()).path("model").asString();
        String usage = "{\"input_tokens\":" + s.input() + ",\"input_tokens_details\":{\"cached_tokens\":" + s.cached()
                + "},\"output_tokens\":" + s.output() + ",\"output_tokens_details\":{\"reasoning_tokens\":"
                + s.reasoning() + "},\"total_tokens\":" + (s.input() + s.output()) + "}";
        String item = s.isToolCall()
                ? "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_abc123\",\"name\":" + q(s.toolName())
                + ",\"arguments\":" + q(s.toolArguments()) + ",\"status\":\"completed\"}"
                : "{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":"
                + "[{\"type\":\"output_text\",\"text\":" + q(s.text()) + ",\"annotations\":[]}]}";
        String response = "{\"id\":\"resp_67ccd2bed1ec8190\",\"object\":\"response\",\"created_at\":1741476542,"
                + "\"status\":\"%s\",\"model\":" + q(model) + ",\"output\":%s,\"usage\":%s}";
        if (!request.body().contains("\"stream\":true")) {
            json(exchange, 200, response.formatted("completed", "[" + item + "]", usage));
            return;
        }
        String itemId = s.isToolCall() ? "fc_1" : "msg_1";
        String addedItem = s.isToolCall()
                ? "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_abc123\",\"name\":"
                + q(s.toolName()) + ",\"arguments\":\"\",\"status\":\"in_progress\"}"
                : "{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"in_progress\",\"role\":\"assistant\","
                + "\"content\":[]}";
        List<String> data = new ArrayList<>();
        data.add("\"type\":\"response.created\",\"response\":" + response.formatted("in_progress", "[]", "null"));
        data.add("\"type\":\"response.in_progress\",\"response\":"
                + response.formatted("in_progress", "[]", "null"));
        data.add("\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":" + addedItem);
        String at = ",\"item_id\":\"" + itemId + "\",\"output_index\":0";
        if (s.isToolCall()) {
            data.add("\"type\":\"response.function_call_arguments.delta\"" + at + ",\"delta\":"
                    + q(s.toolArguments()));
            data.add("\"type\":\"response.function_call_arguments.done\"" + at + ",\"arguments\":"
                    + q(s.toolArguments()));
        } else {
            String part = "{\"type\":\"output_text\",\"text\":%s,\"annotations\":[]}";
            data.add("\"type\":\"response.content_part.added\"" + at + ",\"content_index\":0,\"part\":"
                    + part.formatted("\"\""));
            for (String piece : s.pieces()) {
                data.add("\"type\":\"response.output_text.delta\"" + at + ",\"content_index\":0,\"delta\":"
                        + q(piece));
            }
            data.add("\"type\":\"response.output_text.done\"" + at + ",\"content_index\":0,\"text\":"
                    + q(s.text()));
            data.add("\"type\":\"response.content_part.done\"" + at + ",\"content_index\":0,\"part\":"
                    + part.formatted(q(s.text())));
        }
        data.add("\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" + item);
        data.add("\"type\":\"response.completed\",\"response\":" + response.formatted("completed", "[" + item + "]",
                usage));
        List<String[]> events = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            String type = data.get(i).substring(8, data.get(i).indexOf('"', 9));
            events.add(new String[] {type, "{" + data.get(i) + ",\"sequence_number\":" + i + "}"});
        }
        sse(exchange, events);
    }
}
