package dev.warden.guardrails;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a guardrail decided about one inspection.
 *
 * <pre>{@code
 * switch (verdict) {
 *     case Verdict.Allow a -> ...;
 *     case Verdict.Redact r -> ...;
 *     case Verdict.Block b -> ...;
 * }
 * }</pre>
 */
public sealed interface Verdict {

    /** Nothing to do. */
    record Allow() implements Verdict {}

    /**
     * Replace these spans. Within one part, spans are sorted by start and do not overlap (checked by the chain).
     *
     * @param spans the replacements, never empty
     */
    record Redact(List<Span> spans) implements Verdict {
        public Redact {
            spans = List.copyOf(requireNonNull(spans, "spans"));
            if (spans.isEmpty()) {
                throw new IllegalArgumentException("spans: [] (expected: at least one span; return Allow instead)");
            }
        }
    }

    /**
     * Stop the request (or the answer).
     *
     * @param reason a short explanation for the caller and the ledger; never contains the inspected text
     * @param category the vendor's or engine's category, for example {@code Hate}, {@code PROMPT_ATTACK},
     *     {@code EMAIL}
     * @param score the vendor's score or severity normalised to 0..1 (1 when the vendor gives none)
     */
    record Block(String reason, String category, double score) implements Verdict {
        public Block {
            requireNonNull(reason, "reason");
            requireNonNull(category, "category");
            if (!(score >= 0.0 && score <= 1.0)) {
                throw new IllegalArgumentException("score: " + score + " (expected: 0.0..1.0)");
            }
        }
    }

    Allow ALLOW = new Allow();

    static Verdict allow() {
        return ALLOW;
    }
}
