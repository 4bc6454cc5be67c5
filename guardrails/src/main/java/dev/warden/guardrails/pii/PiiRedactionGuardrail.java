package dev.warden.guardrails.pii;

import static java.util.Objects.requireNonNull;

import dev.warden.guardrails.Guardrail;
import dev.warden.guardrails.Inspection;
import dev.warden.guardrails.Span;
import dev.warden.guardrails.TextPart;
import dev.warden.guardrails.Verdict;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Local PII redaction as a {@link Guardrail}: scans every part (message text, tool arguments, tool results) and
 * answers Redact with typed spans, or Block when a finding's type is one the policy will not let through at all
 * (for example private keys on input).
 */
public final class PiiRedactionGuardrail implements Guardrail {

    /** The name policies use for the default instance. */
    public static final String NAME = "pii";

    private final String name;
    private final PiiRedactor redactor;
    private final Set<EntityType> blockOn;

    public PiiRedactionGuardrail(String name, PiiRedactor redactor, Set<EntityType> blockOn) {
        this.name = requireNonNull(name, "name");
        this.redactor = requireNonNull(redactor, "redactor");
        requireNonNull(blockOn, "blockOn");
        this.blockOn = blockOn.isEmpty() ? Set.of() : EnumSet.copyOf(blockOn);
    }

    /** Named {@value #NAME}, typed placeholders, every entity type, blocks nothing. */
    public static PiiRedactionGuardrail defaults() {
        return new PiiRedactionGuardrail(NAME, PiiRedactor.defaults(), Set.of());
    }

    @Override
    public String name() {
        return name;
    }

    /** The engine does no I/O and is linear in the text (see {@link PiiEngine}): it runs on the caller's thread. */
    @Override
    public boolean runsInline() {
        return true;
    }

    public PiiRedactor redactor() {
        return redactor;
    }

    @Override
    public Verdict inspect(Inspection in) {
        List<Span> spans = new ArrayList<>();
        Map<String, Integer> blocked = new TreeMap<>();
        List<TextPart> parts = in.parts();
        for (int p = 0; p < parts.size(); p++) {
            String text = parts.get(p).text();
            List<PiiMatch> matches = redactor.engine().scan(text);
            for (PiiMatch m : matches) {
                if (blockOn.contains(m.type())) {
                    blocked.merge(m.type().label(), 1, Integer::sum);
                    continue;
                }
                String replacement = redactor.replacement(m.type(), m.value(text), in.context().vault());
                spans.add(new Span(p, m.start(), m.end(), m.type().label(), replacement));
            }
        }
        if (!blocked.isEmpty()) {
            String first = blocked.keySet().iterator().next();
            return new Verdict.Block("found " + blocked + " which policy blocks", first, 1.0);
        }
        return spans.isEmpty() ? Verdict.allow() : new Verdict.Redact(spans);
    }
}
