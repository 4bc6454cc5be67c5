package dev.warden.guardrails;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The input of one guardrail call: the text parts of a request or an answer, and who sent it.
 *
 * @param direction input (request) or output (answer)
 * @param parts the text parts, in a stable order; {@link Span#part()} indexes this list
 * @param context the caller and the per-request vault
 */
public record Inspection(Direction direction, List<TextPart> parts, InspectionContext context) {

    public Inspection {
        requireNonNull(direction, "direction");
        parts = List.copyOf(requireNonNull(parts, "parts"));
        requireNonNull(context, "context");
    }

    /** The same inspection over other parts, as after an earlier guardrail redacted them. */
    public Inspection withParts(List<TextPart> newParts) {
        return new Inspection(direction, newParts, context);
    }

    /** Total characters over all parts; vendor adapters use it to check their size limits. */
    public int totalChars() {
        int n = 0;
        for (TextPart p : parts) {
            n += p.text().length();
        }
        return n;
    }
}
