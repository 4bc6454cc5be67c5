package dev.warden.gateway.pipeline;

/** The client-facing protocols Warden speaks. The surface decides how requests are parsed and errors rendered. */
public enum Surface {
    CHAT_COMPLETIONS("chat.completions", Protocol.OPENAI),
    RESPONSES("responses", Protocol.OPENAI),
    EMBEDDINGS("embeddings", Protocol.OPENAI),
    MODELS("models", Protocol.OPENAI),
    ANTHROPIC_MESSAGES("messages", Protocol.ANTHROPIC),
    /** Anthropic's {@code /v1/messages/count_tokens}: Claude Code asks it every turn to manage its context. */
    ANTHROPIC_COUNT_TOKENS("messages.count_tokens", Protocol.ANTHROPIC);

    /** Error and stream framing family. */
    public enum Protocol { OPENAI, ANTHROPIC }

    private final String label;
    private final Protocol protocol;

    Surface(String label, Protocol protocol) {
        this.label = label;
        this.protocol = protocol;
    }

    /** A short, stable label for metrics and the ledger. */
    public String label() {
        return label;
    }

    public Protocol protocol() {
        return protocol;
    }
}
