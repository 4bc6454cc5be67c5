package dev.warden.guardrails.pii;

/** How a finding is written in the redacted text. */
public enum RedactionMode {
    /** Typed placeholders, {@code [EMAIL_1]}: same value, same placeholder within one request. Not reversible. */
    PLACEHOLDER,
    /**
     * Reversible tokens: the same placeholders, but the request's {@link dev.warden.guardrails.RedactionVault} keeps
     * the originals so the gateway can restore them in the answer to the same caller.
     */
    TOKEN,
    /**
     * Keyed hashes, {@code [EMAIL:3f9a1c2b7d4e]}: HMAC-SHA256 under a configured key, so one value gets the same
     * token across requests (useful for analytics) while low-entropy data (phone numbers, SSNs) cannot be
     * brute-forced back from it without the key. Never a bare hash.
     */
    HASH
}
