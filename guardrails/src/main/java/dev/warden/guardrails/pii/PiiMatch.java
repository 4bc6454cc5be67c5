package dev.warden.guardrails.pii;

import static java.util.Objects.requireNonNull;

/**
 * One finding: where, what, and how sure.
 *
 * @param type the entity type
 * @param start first char, inclusive
 * @param end last char, exclusive
 * @param score confidence 0..1: checksums and context words raise it, weak shapes lower it
 */
public record PiiMatch(EntityType type, int start, int end, double score) {

    public PiiMatch {
        requireNonNull(type, "type");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("match: [" + start + ", " + end + ") (expected: 0 <= start < end)");
        }
    }

    public int length() {
        return end - start;
    }

    /** The matched text; handle with care, it is the raw value. */
    public String value(CharSequence text) {
        return text.subSequence(start, end).toString();
    }
}
