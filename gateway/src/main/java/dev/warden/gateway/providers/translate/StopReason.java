package dev.warden.gateway.providers.translate;

/** Why the model stopped, in no provider's vocabulary; each converter maps to and from its own. */
public enum StopReason {
    END_TURN,
    MAX_TOKENS,
    TOOL_USE,
    STOP_SEQUENCE,
    CONTENT_FILTER;

    public String openAi() {
        return switch (this) {
            case END_TURN, STOP_SEQUENCE -> "stop";
            case MAX_TOKENS -> "length";
            case TOOL_USE -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }

    public String anthropic() {
        return switch (this) {
            case END_TURN -> "end_turn";
            case MAX_TOKENS -> "max_tokens";
            case TOOL_USE -> "tool_use";
            case STOP_SEQUENCE -> "stop_sequence";
            case CONTENT_FILTER -> "refusal";
        };
    }

    public static StopReason fromOpenAi(String reason) {
        return switch (reason) {
            case "length" -> MAX_TOKENS;
            case "tool_calls", "function_call" -> TOOL_USE;
            case "content_filter" -> CONTENT_FILTER;
            default -> END_TURN;
        };
    }

    public static StopReason fromAnthropic(String reason) {
        return switch (reason) {
            case "max_tokens", "model_context_window_exceeded" -> MAX_TOKENS;
            case "tool_use" -> TOOL_USE;
            case "stop_sequence" -> STOP_SEQUENCE;
            case "refusal" -> CONTENT_FILTER;
            default -> END_TURN;
        };
    }
}
