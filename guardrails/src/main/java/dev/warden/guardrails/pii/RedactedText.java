package dev.warden.guardrails.pii;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A text after redaction, with what was replaced.
 *
 * @param text the redacted text
 * @param replacements the replacements in original coordinates, in position order
 */
public record RedactedText(String text, List<Replacement> replacements) {

    public RedactedText {
        requireNonNull(text, "text");
        replacements = List.copyOf(requireNonNull(replacements, "replacements"));
    }

    /** Entity labels and how often each was redacted; never the values. */
    public Map<String, Integer> entityCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Replacement r : replacements) {
            counts.merge(r.type().label(), 1, Integer::sum);
        }
        return counts;
    }
}
