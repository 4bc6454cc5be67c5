package dev.warden.guardrails;

/**
 * One check over request or answer text: local PII redaction, a vendor's content filter, an evaluator.
 *
 * <p>Contract: {@link #inspect} never returns null; it throws {@link GuardrailException} (or any runtime
 * exception) when it cannot decide, and the {@link GuardrailChain} applies the policy's fail-open or fail-closed
 * rule. Implementations are thread-safe: one instance serves all requests. Redact spans index the parts exactly
 * as given. Exceptions and verdict reasons never carry credentials or the inspected text.
 */
public interface Guardrail {

    /** A stable name that policies refer to, for example {@code pii} or {@code bedrock}. */
    String name();

    /**
     * Inspects the parts and decides. May block the calling thread on I/O; the chain bounds it with a timeout,
     * unless the guardrail {@linkplain #runsInline() runs inline}.
     */
    Verdict inspect(Inspection in) throws GuardrailException;

    /**
     * Whether the chain may call {@link #inspect} directly on the caller's thread, with no hand-off to another
     * thread and no timeout. Only for guardrails that do no I/O and whose work is bounded by the size of the text
     * (the local PII engine): for those the hand-off costs more than the check (two thread switches and a timer
     * per call, per direction, in profiles of the gateway at 5,000 req/s), and a timeout could only turn a finished
     * scan into a failure. Vendor guardrails keep the default, {@code false}.
     */
    default boolean runsInline() {
        return false;
    }
}
