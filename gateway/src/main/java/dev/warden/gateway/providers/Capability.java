package dev.warden.gateway.providers;

/** What a provider adapter can serve; the router skips targets whose adapter lacks what a request needs. */
public enum Capability {
    CHAT_COMPLETIONS,
    RESPONSES,
    EMBEDDINGS,
    ANTHROPIC_MESSAGES,
    /** Counts a Messages request's input tokens without running it (Anthropic's count_tokens). */
    COUNT_TOKENS,
    STREAMING,
    TOOLS,
    VISION,
    REASONING
}
