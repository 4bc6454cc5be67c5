package dev.warden.guardrails;

/** Which way the inspected text travels: from the caller to the provider, or back. */
public enum Direction {
    /** The request: prompt, tool results sent back to the model. */
    INPUT,
    /** The answer: completion text, tool-call arguments produced by the model. */
    OUTPUT
}
