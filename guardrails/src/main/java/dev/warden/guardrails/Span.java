package dev.warden.guardrails;

import static java.util.Objects.requireNonNull;

/**
 * One stretch of text to replace.
 *
 * @param part index into {@link Inspection#parts()}
 * @param start first char (inclusive, UTF-16 index)
 * @param end last char (exclusive)
 * @param entityType what was found, for example {@code EMAIL}; goes to the audit ledger
 * @param replacement the text written instead; never the raw value
 */
public record Span(int part, int start, int end, String entityType, String replacement) {

    public Span {
        if (part < 0) {
            throw new IllegalArgumentException("part: " + part + " (expected: >= 0)");
        }
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("span: [" + start + ", " + end + ") (expected: 0 <= start < end)");
        }
        requireNonNull(entityType, "entityType");
        requireNonNull(replacement, "replacement");
    }

    public int length() {
        return end - start;
    }
}
