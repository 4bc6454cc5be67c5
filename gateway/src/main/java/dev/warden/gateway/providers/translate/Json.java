package dev.warden.gateway.providers.translate;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Small JSON reading helpers the converters share. */
public final class Json {
    public static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    /** Text of a content value: a string, or the text of an array of parts/blocks joined. */
    public static String text(@Nullable JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.asString();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.isString()) {
                    text.append(part.asString());
                } else if (part.path("text").isString()) {
                    text.append(part.path("text").asString());
                }
            }
            return text.toString();
        }
        return content.toString();
    }

    public static void appendParagraph(StringBuilder into, String text) {
        if (text.isEmpty()) {
            return;
        }
        if (!into.isEmpty()) {
            into.append("\n\n");
        }
        into.append(text);
    }

    public static @Nullable String optionalText(@Nullable JsonNode node) {
        return node != null && node.isString() ? node.asString() : null;
    }

    /** Tool arguments as JSON text, whether the protocol carries them as a string or an object. */
    public static String argumentsText(@Nullable JsonNode arguments) {
        if (arguments == null || arguments.isNull()) {
            return "{}";
        }
        if (arguments.isString()) {
            return arguments.asString().isBlank() ? "{}" : arguments.asString();
        }
        return MAPPER.writeValueAsString(arguments);
    }

    /** Tool arguments as a JSON object (Anthropic {@code input}, Gemini {@code args}); unparsable text is kept. */
    public static ObjectNode argumentsObject(String arguments) {
        try {
            JsonNode parsed = MAPPER.readTree(arguments.isBlank() ? "{}" : arguments);
            if (parsed instanceof ObjectNode object) {
                return object;
            }
        } catch (JacksonException ignored) {
            // a model that streamed broken JSON: keep what it said rather than fail the turn
        }
        return NODES.objectNode().put("_raw_arguments", arguments);
    }

    public static ObjectNode schema(@Nullable JsonNode parameters) {
        if (parameters instanceof ObjectNode object) {
            return object;
        }
        ObjectNode empty = NODES.objectNode().put("type", "object");
        empty.putObject("properties");
        return empty;
    }

    public static @Nullable Long optionalLong(JsonNode body, String... names) {
        for (String name : names) {
            JsonNode value = body.get(name);
            if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
                return value.asLong();
            }
        }
        return null;
    }

    public static @Nullable Double optionalDouble(JsonNode body, String name) {
        JsonNode value = body.get(name);
        return value != null && value.isNumber() ? value.asDouble() : null;
    }

    public static List<String> stringList(@Nullable JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (node.isString()) {
            values.add(node.asString());
        } else {
            for (JsonNode value : node) {
                if (value.isString()) {
                    values.add(value.asString());
                }
            }
        }
        return values;
    }

    public static String joinText(List<Part> parts) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Part.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }

    /** Merges consecutive turns of one role and drops empty ones (Anthropic and Gemini want alternating turns). */
    public static List<Conversation.Message> mergeTurns(List<Conversation.Message> messages) {
        List<Conversation.Message> merged = new ArrayList<>();
        for (Conversation.Message message : messages) {
            if (message.parts().isEmpty()) {
                continue;
            }
            if (!merged.isEmpty() && merged.getLast().role() == message.role()) {
                Conversation.Message previous = merged.removeLast();
                List<Part> parts = new ArrayList<>(previous.parts());
                parts.addAll(message.parts());
                merged.add(new Conversation.Message(message.role(), parts));
            } else {
                merged.add(message);
            }
        }
        return merged;
    }
}
