package dev.warden.gateway.providers;

import dev.warden.gateway.pipeline.Surface;

/** The same conversations written in each caller protocol, as clients send them. */
final class CallerRequests {
    static final String SYSTEM = "Answer in one short sentence.";
    static final String QUESTION = "What is the capital of France?";
    static final String TOOL_RESULT = "18C and sunny";

    private CallerRequests() {
    }

    static String question(Surface surface, boolean stream) {
        return switch (surface) {
            case CHAT_COMPLETIONS -> "{\"model\":\"m\",\"stream\":" + stream + streamOptions(stream)
                    + ",\"messages\":[{\"role\":\"system\",\"content\":\"" + SYSTEM + "\"},{\"role\":\"user\","
                    + "\"content\":\"" + QUESTION + "\"}]}";
            case RESPONSES -> "{\"model\":\"m\",\"stream\":" + stream + ",\"instructions\":\"" + SYSTEM
                    + "\",\"input\":\"" + QUESTION + "\"}";
            case ANTHROPIC_MESSAGES -> "{\"model\":\"m\",\"max_tokens\":256,\"stream\":" + stream + ",\"system\":\""
                    + SYSTEM + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
            default -> throw new IllegalArgumentException(surface.toString());
        };
    }

    static String withTools(Surface surface, boolean stream) {
        String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
        return switch (surface) {
            case CHAT_COMPLETIONS -> "{\"model\":\"m\",\"stream\":" + stream + streamOptions(stream)
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"tools\":[{\"type\":"
                    + "\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Current weather\","
                    + "\"parameters\":" + schema + "}}]}";
            case RESPONSES -> "{\"model\":\"m\",\"stream\":" + stream + ",\"input\":[{\"type\":\"message\",\"role\":"
                    + "\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Weather in Paris?\"}]}],\"tools\":"
                    + "[{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Current weather\","
                    + "\"parameters\":" + schema + "}]}";
            case ANTHROPIC_MESSAGES -> "{\"model\":\"m\",\"max_tokens\":256,\"stream\":" + stream + ",\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],\"tools\":[{\"name\":\"get_weather\","
                    + "\"description\":\"Current weather\",\"input_schema\":" + schema + "}]}";
            default -> throw new IllegalArgumentException(surface.toString());
        };
    }

    /** A conversation whose last turn is the result of the tool call {@link #callId}. */
    static String toolResult(Surface surface) {
        String arguments = "{\\\"city\\\":\\\"Paris\\\"}";
        String tools = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";
        return switch (surface) {
            case CHAT_COMPLETIONS -> "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                    + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_w1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"" + arguments + "\"}}]},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"call_w1\",\"content\":\"" + TOOL_RESULT + "\"}],"
                    + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":" + tools
                    + "}}]}";
            case RESPONSES -> "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                    + "{\"type\":\"function_call\",\"call_id\":\"call_w1\",\"name\":\"get_weather\",\"arguments\":\""
                    + arguments + "\"},{\"type\":\"function_call_output\",\"call_id\":\"call_w1\",\"output\":\""
                    + TOOL_RESULT + "\"}],\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":"
                    + tools + "}]}";
            case ANTHROPIC_MESSAGES -> "{\"model\":\"m\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"Weather in Paris?\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\","
                    + "\"id\":\"call_w1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},{\"role\":\"user\","
                    + "\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_w1\",\"content\":\"" + TOOL_RESULT
                    + "\"}]}],\"tools\":[{\"name\":\"get_weather\",\"input_schema\":" + tools + "}]}";
            default -> throw new IllegalArgumentException(surface.toString());
        };
    }

    static String callId() {
        return "call_w1";
    }

    /** user, assistant, user. */
    static String multiTurn(Surface surface) {
        return switch (surface) {
            case CHAT_COMPLETIONS -> "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"" + SYSTEM + "\"},"
                    + "{\"role\":\"user\",\"content\":\"Hi, I am Ada.\"},{\"role\":\"assistant\",\"content\":"
                    + "\"Hello Ada.\"},{\"role\":\"user\",\"content\":\"What is my name?\"}]}";
            case RESPONSES -> "{\"model\":\"m\",\"instructions\":\"" + SYSTEM + "\",\"input\":[{\"role\":\"user\","
                    + "\"content\":\"Hi, I am Ada.\"},{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":"
                    + "\"output_text\",\"text\":\"Hello Ada.\"}]},{\"role\":\"user\",\"content\":[{\"type\":"
                    + "\"input_text\",\"text\":\"What is my name?\"}]}]}";
            case ANTHROPIC_MESSAGES -> "{\"model\":\"m\",\"max_tokens\":256,\"system\":[{\"type\":\"text\",\"text\":\""
                    + SYSTEM + "\"}],\"messages\":[{\"role\":\"user\",\"content\":\"Hi, I am Ada.\"},{\"role\":"
                    + "\"assistant\",\"content\":\"Hello Ada.\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                    + "\"text\":\"What is my name?\"}]}]}";
            default -> throw new IllegalArgumentException(surface.toString());
        };
    }

    private static String streamOptions(boolean stream) {
        return stream ? ",\"stream_options\":{\"include_usage\":true}" : "";
    }
}
