package dev.warden.gateway.providers.translate;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * A conversation in no particular provider's protocol: what every request converter reads into and every provider
 * converter writes from. Tool results travel in user messages (as Anthropic and Gemini model them); the Chat
 * Completions converter turns them into {@code tool} messages on the way out.
 *
 * @param system     the system prompt (system and developer messages, {@code instructions}), or null
 * @param maxTokens  the caller's output cap, or null when none was given
 * @param stop       stop sequences (empty when none)
 */
public record Conversation(@Nullable String system, List<Message> messages, List<Tool> tools,
                           @Nullable ToolChoice toolChoice, @Nullable Long maxTokens, @Nullable Double temperature,
                           @Nullable Double topP, List<String> stop) {
    public Conversation {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        stop = List.copyOf(stop);
    }

    public enum Role { USER, ASSISTANT }

    /** One turn. Consecutive turns of the same role are allowed; converters merge them where a provider requires. */
    public record Message(Role role, List<Part> parts) {
        public Message {
            requireNonNull(role, "role");
            parts = List.copyOf(parts);
        }
    }

    /** A function the model may call; {@code parameters} is a JSON Schema object. */
    public record Tool(String name, @Nullable String description, ObjectNode parameters) {
        public Tool {
            requireNonNull(name, "name");
            requireNonNull(parameters, "parameters");
        }
    }

    /** How the model must use tools: {@code AUTO}, {@code NONE}, {@code REQUIRED} (any tool) or one named tool. */
    public record ToolChoice(Mode mode, @Nullable String name) {
        public enum Mode { AUTO, NONE, REQUIRED, TOOL }

        public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
        public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
        public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

        public static ToolChoice tool(String name) {
            return new ToolChoice(Mode.TOOL, requireNonNull(name, "name"));
        }
    }
}
