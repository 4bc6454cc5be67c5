package dev.warden.guardrails.pii;

import static java.util.Objects.requireNonNull;

/**
 * One applied redaction, in the original text's coordinates.
 *
 * @param type what was found
 * @param start first char in the original text
 * @param end after the last char in the original text
 * @param replacement what was written instead
 */
public record Replacement(EntityType type, int start, int end, String replacement) {
    public Replacement {
        requireNonNull(type, "type");
        requireNonNull(replacement, "replacement");
    }
}
