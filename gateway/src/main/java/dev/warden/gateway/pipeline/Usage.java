package dev.warden.gateway.pipeline;

/** Token usage reported by a provider (or counted by the demo provider). */
public record Usage(long inputTokens, long outputTokens, long cachedInputTokens, long reasoningTokens) {
    public static final Usage NONE = new Usage(0, 0, 0, 0);
    public static final Attribute<Usage> ATTRIBUTE = Attribute.of("usage", Usage.class);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("usage: negative token count " + inputTokens + "/" + outputTokens
                    + " (expected: >= 0)");
        }
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
