package dev.warden.guardrails;

import static java.util.Objects.requireNonNull;

/**
 * One piece of text inside a request or answer.
 *
 * <p>The {@code path} is opaque to guardrails; the gateway chooses it (for example
 * {@code messages[2].content[0].text} or {@code messages[3].tool_calls[0].function.arguments}) so that it can
 * write the redacted text back to the same place in the canonical request.
 *
 * @param path where the text lives in the caller's request, for the gateway's write-back
 * @param kind what the text is, so guardrails may treat tool payloads differently from prose
 * @param text the text itself
 */
public record TextPart(String path, Kind kind, String text) {

    /** What a part carries. */
    public enum Kind {
        /** System, user or assistant message text. */
        MESSAGE,
        /** Arguments of a tool call (usually JSON). */
        TOOL_ARGUMENTS,
        /** The result of a tool call sent back to the model. */
        TOOL_RESULT
    }

    public TextPart {
        requireNonNull(path, "path");
        requireNonNull(kind, "kind");
        requireNonNull(text, "text");
    }

    /** A message part; the most common kind. */
    public static TextPart message(String path, String text) {
        return new TextPart(path, Kind.MESSAGE, text);
    }

    /** The same part with other text, as after a redaction. */
    public TextPart withText(String newText) {
        return new TextPart(path, kind, newText);
    }
}
