package dev.warden.gateway.surface;

import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Stage;
import dev.warden.gateway.pipeline.Surface;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stage 1: parses the caller's protocol into a {@link CanonicalRequest}. Checks only what the gateway itself relies
 * on (model, stream flags, the shape of messages and inputs) and the types of common fields, so a malformed request
 * gets a 400 naming the field instead of a provider error or a crash; everything else passes through untouched.
 */
public final class SurfaceStage implements Stage {
    private static final JsonMapper JSON = JsonMapper.builder()
            // Two "model" keys would let a request mean one thing here and another upstream.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> CHAT_ROLES = Set.of("system", "developer", "user", "assistant", "tool",
            "function");
    private static final Set<String> ANTHROPIC_ROLES = Set.of("user", "assistant");
    private static final String COUNT = "an integer from 1 to " + Integer.MAX_VALUE;

    @Override
    public Reply handle(Exchange exchange, Chain chain) {
        exchange.put(CanonicalRequest.ATTRIBUTE, parse(exchange.surface(), exchange.inbound().body()));
        return chain.proceed(exchange);
    }

    /** Parses and checks one request body for a surface. */
    public static CanonicalRequest parse(Surface surface, byte[] body) {
        ObjectNode root = readObject(body);
        return switch (surface) {
            case CHAT_COMPLETIONS -> chat(root);
            case RESPONSES -> responses(root);
            case EMBEDDINGS -> embeddings(root);
            case ANTHROPIC_MESSAGES -> anthropic(root, Surface.ANTHROPIC_MESSAGES);
            case ANTHROPIC_COUNT_TOKENS -> anthropic(root, Surface.ANTHROPIC_COUNT_TOKENS);
            case MODELS -> throw new IllegalArgumentException("surface MODELS has no request body");
        };
    }

    static ObjectNode readObject(byte[] body) {
        if (isBlank(body)) {
            throw GatewayException.invalid(null, "request body is empty (expected: a JSON object)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JacksonException e) {
            throw GatewayException.invalid(null, "request body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            throw GatewayException.invalid(null, "request body is " + describe(node) + " (expected: a JSON object)");
        }
        return (ObjectNode) node;
    }

    private static CanonicalRequest chat(ObjectNode root) {
        String model = requireModel(root);
        boolean stream = optionalBoolean(root, "stream");
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayException.invalid("messages", "messages: " + describe(messages)
                    + " (expected: a non-empty array of message objects)");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String path = "messages[" + i + "]";
            if (!message.isObject()) {
                throw GatewayException.invalid(path, path + ": " + describe(message) + " (expected: an object)");
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isString() || !CHAT_ROLES.contains(role.asString())) {
                throw GatewayException.invalid(path + ".role", path + ".role: " + describe(role)
                        + " (expected: one of " + String.join(", ", sorted(CHAT_ROLES)) + ")");
            }
            JsonNode content = message.get("content");
            if (content != null && !content.isString() && !content.isArray() && !content.isNull()) {
                throw GatewayException.invalid(path + ".content", path + ".content: " + describe(content)
                        + " (expected: a string or an array of content parts)");
            }
            JsonNode calls = message.get("tool_calls");
            if (calls != null && !calls.isNull()) {
                if (!calls.isArray()) {
                    throw GatewayException.invalid(path + ".tool_calls", path + ".tool_calls: " + describe(calls)
                            + " (expected: an array of tool calls)");
                }
                for (int k = 0; k < calls.size(); k++) {
                    if (!calls.get(k).isObject()) {
                        String at = path + ".tool_calls[" + k + "]";
                        throw GatewayException.invalid(at, at + ": " + describe(calls.get(k)) + " (expected: an object)");
                    }
                }
            }
        }
        checkPositiveInt(root, "n");
        checkPositiveInt(root, "max_tokens");
        checkPositiveInt(root, "max_completion_tokens");
        checkNumber(root, "temperature");
        checkNumber(root, "top_p");
        checkArray(root, "tools");
        boolean wantsUsage = false;
        JsonNode options = root.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw GatewayException.invalid("stream_options", "stream_options: " + describe(options)
                        + " (expected: an object)");
            }
            wantsUsage = optionalBoolean((ObjectNode) options, "include_usage");
        }
        return new CanonicalRequest(Surface.CHAT_COMPLETIONS, model, stream, root, wantsUsage);
    }

    private static CanonicalRequest responses(ObjectNode root) {
        String model = requireModel(root);
        boolean stream = optionalBoolean(root, "stream");
        JsonNode input = root.get("input");
        if (input == null || input.isNull()) {
            if (!root.hasNonNull("previous_response_id") && !root.hasNonNull("prompt")) {
                throw GatewayException.invalid("input", "input: missing (expected: a string or an array of "
                        + "input items)");
            }
        } else if (input.isString()) {
            if (input.asString().isEmpty()) {
                throw GatewayException.invalid("input", "input: empty string (expected: non-empty text)");
            }
        } else if (input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                if (!input.get(i).isObject() && !input.get(i).isString()) {
                    throw GatewayException.invalid("input[" + i + "]", "input[" + i + "]: " + describe(input.get(i))
                            + " (expected: an input item object)");
                }
            }
        } else {
            throw GatewayException.invalid("input", "input: " + describe(input)
                    + " (expected: a string or an array of input items)");
        }
        JsonNode instructions = root.get("instructions");
        if (instructions != null && !instructions.isNull() && !instructions.isString()) {
            throw GatewayException.invalid("instructions", "instructions: " + describe(instructions)
                    + " (expected: a string)");
        }
        checkPositiveInt(root, "max_output_tokens");
        checkNumber(root, "temperature");
        checkArray(root, "tools");
        return new CanonicalRequest(Surface.RESPONSES, model, stream, root, true);
    }

    private static CanonicalRequest embeddings(ObjectNode root) {
        String model = requireModel(root);
        JsonNode input = root.get("input");
        if (input == null || input.isNull()) {
            throw GatewayException.invalid("input", "input: missing (expected: a string or an array of strings)");
        }
        if (input.isString()) {
            if (input.asString().isEmpty()) {
                throw GatewayException.invalid("input", "input: empty string (expected: non-empty text)");
            }
        } else if (input.isArray()) {
            if (input.isEmpty()) {
                throw GatewayException.invalid("input", "input: empty array (expected: at least one input)");
            }
            for (int i = 0; i < input.size(); i++) {
                JsonNode item = input.get(i);
                boolean ok = item.isString() && !item.asString().isEmpty() || item.isIntegralNumber()
                        || item.isArray() && !item.isEmpty() && allIntegers(item);
                if (!ok) {
                    throw GatewayException.invalid("input[" + i + "]", "input[" + i + "]: " + describe(item)
                            + " (expected: non-empty text, a token id or an array of token ids)");
                }
            }
        } else {
            throw GatewayException.invalid("input", "input: " + describe(input)
                    + " (expected: a string or an array of strings)");
        }
        JsonNode format = root.get("encoding_format");
        if (format != null && !format.isNull()
                && !(format.isString() && ("float".equals(format.asString()) || "base64".equals(format.asString())))) {
            throw GatewayException.invalid("encoding_format", "encoding_format: " + describe(format)
                    + " (expected: \"float\" or \"base64\")");
        }
        checkPositiveInt(root, "dimensions");
        if (root.has("stream")) {
            throw GatewayException.invalid("stream", "stream: embeddings cannot be streamed");
        }
        return new CanonicalRequest(Surface.EMBEDDINGS, model, false, root, false);
    }

    /** A Messages request, or the same conversation to count (no {@code max_tokens}, never streamed). */
    private static CanonicalRequest anthropic(ObjectNode root, Surface surface) {
        String model = requireModel(root);
        boolean stream = optionalBoolean(root, "stream");
        boolean counting = surface == Surface.ANTHROPIC_COUNT_TOKENS;
        JsonNode maxTokens = root.get("max_tokens");
        if (counting) {
            if (stream || maxTokens != null) {
                String field = stream ? "stream" : "max_tokens";
                throw GatewayException.invalid(field, field + ": not a count_tokens field (count_tokens takes the "
                        + "conversation only: model, messages, system, tools, tool_choice, thinking)");
            }
        } else if (maxTokens == null || maxTokens.isNull()) {
            throw GatewayException.invalid("max_tokens", "max_tokens: " + describe(maxTokens) + " (expected: "
                    + COUNT + ")");
        }
        checkPositiveInt(root, "max_tokens");
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayException.invalid("messages", "messages: " + describe(messages)
                    + " (expected: a non-empty array of message objects)");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String path = "messages." + i;
            if (!message.isObject()) {
                throw GatewayException.invalid(path, path + ": " + describe(message) + " (expected: an object)");
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isString() || !ANTHROPIC_ROLES.contains(role.asString())) {
                throw GatewayException.invalid(path + ".role", path + ".role: " + describe(role)
                        + " (expected: \"user\" or \"assistant\")");
            }
            JsonNode content = message.get("content");
            if (content == null || !content.isString() && !content.isArray()) {
                throw GatewayException.invalid(path + ".content", path + ".content: " + describe(content)
                        + " (expected: a string or an array of content blocks)");
            }
        }
        JsonNode system = root.get("system");
        if (system != null && !system.isNull() && !system.isString() && !system.isArray()) {
            throw GatewayException.invalid("system", "system: " + describe(system)
                    + " (expected: a string or an array of text blocks)");
        }
        checkArray(root, "tools");
        return new CanonicalRequest(surface, model, stream, root, true);
    }

    private static String requireModel(ObjectNode root) {
        JsonNode model = root.get("model");
        if (model == null || !model.isString() || model.asString().isBlank()) {
            throw GatewayException.invalid("model", "model: " + describe(model) + " (expected: a model name)");
        }
        String name = model.asString();
        if (name.length() > 256) {
            throw GatewayException.invalid("model", "model: name of " + name.length()
                    + " characters (expected: at most 256)");
        }
        return name;
    }

    private static boolean optionalBoolean(ObjectNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw GatewayException.invalid(field, field + ": " + describe(node) + " (expected: true or false)");
        }
        return node.asBoolean();
    }

    /**
     * A count (tokens, choices, dimensions): every provider's API takes these as 32-bit integers, and a larger one
     * would overflow the budget estimate and the demo provider's arithmetic, so it is the caller's error here.
     */
    private static void checkPositiveInt(ObjectNode root, String field) {
        JsonNode node = root.get(field);
        if (node != null && !node.isNull()
                && (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1)) {
            throw GatewayException.invalid(field, field + ": " + describe(node) + " (expected: " + COUNT + ")");
        }
    }

    private static void checkNumber(ObjectNode root, String field) {
        JsonNode node = root.get(field);
        if (node != null && !node.isNull() && !node.isNumber()) {
            throw GatewayException.invalid(field, field + ": " + describe(node) + " (expected: a number)");
        }
    }

    private static void checkArray(ObjectNode root, String field) {
        JsonNode node = root.get(field);
        if (node != null && !node.isNull() && !node.isArray()) {
            throw GatewayException.invalid(field, field + ": " + describe(node) + " (expected: an array)");
        }
    }

    private static boolean allIntegers(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    /** Describes a JSON value for an error message without echoing (possibly sensitive) content. */
    static String describe(@Nullable JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isString()) {
            String value = node.asString();
            if (value.isEmpty()) {
                return "empty string";
            }
            return value.length() <= 40 && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"')
                    ? "string \"" + value + "\"" : "a string";
        }
        if (node.isBoolean()) {
            return "boolean " + node.asBoolean();
        }
        if (node.isNumber()) {
            return "number " + node.asString();
        }
        if (node.isArray()) {
            return node.isEmpty() ? "empty array" : "an array";
        }
        return node.isObject() ? "an object" : node.getNodeType().toString().toLowerCase();
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        // Jackson appends where it was reading; the body itself is never echoed (it may hold secrets).
        for (String marker : new String[] {" (start marker at", " at [Source"}) {
            int at = line.indexOf(marker);
            if (at > 0) {
                line = line.substring(0, at);
            }
        }
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static String[] sorted(Set<String> values) {
        return values.stream().sorted().toArray(String[]::new);
    }
}
