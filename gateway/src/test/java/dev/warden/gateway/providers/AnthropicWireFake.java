package dev.warden.gateway.providers;

import com.sun.net.httpserver.HttpExchange;
import dev.warden.gateway.providers.translate.AnthropicCodec;
import dev.warden.gateway.providers.translate.Conversation;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Anthropic's Messages API as its reference documents it: {@code POST /v1/messages} answering a message object,
 * or with {@code "stream": true} the events message_start, content_block_start, ping, content_block_delta
 * (text_delta / input_json_delta), content_block_stop, message_delta (stop_reason, usage) and message_stop.
 * Errors are {@code {"type":"error","error":{"type":…,"message":…}}}. {@code POST /v1/messages/count_tokens} answers
 * {@code {"input_tokens": n}} with the script's input tokens.
 */
public final class AnthropicWireFake extends WireFake {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public URI baseUrl() {
        return URI.create(root() + "/v1");
    }

    @Override
    public Conversation saw(Received request) {
        return AnthropicCodec.parseRequest(JSON.readTree(request.body()));
    }

    @Override
    protected String errorBody(int status, String message) {
        String type = switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + q(message) + "}}";
    }

    private static String usage(Script s, long output) {
        return "{\"input_tokens\":" + (s.input() - s.cached()) + ",\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":" + s.cached() + ",\"output_tokens\":" + output + "}";
    }

    @Override
    protected void answer(Received request, HttpExchange exchange, Script s) throws IOException {
        if (request.path().equals("/v1/messages/count_tokens")) {
            json(exchange, 200, "{\"input_tokens\":" + s.input() + "}");
            return;
        }
        if (!request.path().equals("/v1/messages")) {
            json(exchange, 404, errorBody(404, "not found: " + request.path()));
            return;
        }
        String model = JSON.readTree(request.body()).path("model").asString();
        String stop = s.isToolCall() ? "tool_use" : "end_turn";
        if (!request.body().contains("\"stream\":true")) {
            String content = s.isToolCall()
                    ? "{\"type\":\"tool_use\",\"id\":\"toolu_01A09q90qw90lq917835lq9\",\"name\":" + q(s.toolName())
                    + ",\"input\":" + s.toolArguments() + "}"
                    : "{\"type\":\"text\",\"text\":" + q(s.text()) + "}";
            json(exchange, 200, "{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\","
                    + "\"model\":" + q(model) + ",\"content\":[" + content + "],\"stop_reason\":\"" + stop
                    + "\",\"stop_sequence\":null,\"usage\":" + usage(s, s.output()) + "}");
            return;
        }
        List<String[]> events = new ArrayList<>();
        events.add(new String[] {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":"
                + "\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],"
                + "\"model\":" + q(model) + ",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":" + usage(s, 1)
                + "}}"});
        if (s.isToolCall()) {
            events.add(new String[] {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01A09q90qw90lq917835lq9\",\"name\":"
                    + q(s.toolName()) + ",\"input\":{}}}"});
            String arguments = s.toolArguments();
            int half = arguments.length() / 2;
            for (String part : new String[] {"", arguments.substring(0, half), arguments.substring(half)}) {
                events.add(new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":" + q(part) + "}}"});
            }
        } else {
            events.add(new String[] {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"});
            events.add(new String[] {"ping", "{\"type\": \"ping\"}"});
            for (String piece : s.pieces()) {
                events.add(new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":" + q(piece) + "}}"});
            }
        }
        events.add(new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"});
        events.add(new String[] {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stop
                + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + s.output() + "}}"});
        events.add(new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
        sse(exchange, events);
    }
}
