package dev.warden.guardrails;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The result of running a policy over one inspection.
 *
 * @param direction the inspected direction
 * @param parts the parts after every enforced redaction, in the inspection's order; the gateway writes them back
 *     by {@link TextPart#path()}
 * @param results one entry per guardrail that ran, in order
 * @param blockedBy the result that blocked the traffic, or null when it may go on
 */
public record ChainOutcome(
        Direction direction, List<TextPart> parts, List<GuardrailResult> results,
        @Nullable GuardrailResult blockedBy) {

    public ChainOutcome {
        requireNonNull(direction, "direction");
        parts = List.copyOf(requireNonNull(parts, "parts"));
        results = List.copyOf(requireNonNull(results, "results"));
    }

    public boolean blocked() {
        return blockedBy != null;
    }

    /** The blocking verdict, for the caller's policy error; null when not blocked. */
    public Verdict.@Nullable Block block() {
        return blockedBy != null && blockedBy.verdict() instanceof Verdict.Block b ? b : null;
    }

    /**
     * Entity types found by all guardrails (enforced or monitored) with their counts, for the audit ledger. Never
     * the values.
     */
    public Map<String, Integer> entityCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (GuardrailResult r : results) {
            if (r.verdict() instanceof Verdict.Redact redact) {
                for (Span s : redact.spans()) {
                    counts.merge(s.entityType(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /**
     * One line for logs and the ledger, free of raw values, e.g.
     * {@code input allowed; pii REDACT ok redact EMAIL=2,PHONE=1 3ms; bedrock REDACT timeout allow(fail-open) 500ms}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder(64 + results.size() * 48);
        sb.append(direction.name().toLowerCase(java.util.Locale.ROOT));
        sb.append(blocked() ? " blocked by " + requireNonNull(blockedBy).guardrail() : " allowed");
        for (GuardrailResult r : results) {
            sb.append("; ").append(r.guardrail()).append(' ').append(r.mode()).append(' ')
                    .append(r.status().name().toLowerCase(java.util.Locale.ROOT)).append(' ');
            switch (r.verdict()) {
                case Verdict.Allow a -> sb.append("allow");
                case Verdict.Redact redact -> {
                    Map<String, Integer> byType = new TreeMap<>();
                    for (Span s : redact.spans()) {
                        byType.merge(s.entityType(), 1, Integer::sum);
                    }
                    sb.append("redact ");
                    StringBuilder types = new StringBuilder();
                    byType.forEach((k, v) -> types.append(types.isEmpty() ? "" : ",").append(k).append('=').append(v));
                    sb.append(types);
                }
                case Verdict.Block b -> sb.append("block ").append(b.category())
                        .append(String.format(java.util.Locale.ROOT, " %.2f", b.score()));
            }
            if (!r.enforced() && !(r.verdict() instanceof Verdict.Allow)) {
                sb.append(" (not enforced)");
            }
            sb.append(' ').append(r.elapsed().toMillis()).append("ms");
        }
        return sb.toString();
    }
}
