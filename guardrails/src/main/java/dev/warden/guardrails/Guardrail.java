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

    /** Inspects the parts and decides. May block the calling thread on I/O; the chain bounds it with a timeout. */
    Verdict inspect(Inspection in) throws GuardrailException;
}
