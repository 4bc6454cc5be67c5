package dev.warden.guardrails;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Who sent the inspected text, and the per-request vault that keeps placeholders consistent.
 *
 * <p>The gateway creates one context per request and passes the same instance to the input and the output
 * chain: the vault then numbers placeholders consistently across both directions and, in reversible mode,
 * can restore the original values in the answer to the same caller.
 *
 * @param keyId the virtual key's id (never the key itself)
 * @param team the key's team, if any
 * @param vault per-request redaction state; never shared between requests
 */
public record InspectionContext(String keyId, @Nullable String team, RedactionVault vault) {

    public InspectionContext {
        requireNonNull(keyId, "keyId");
        requireNonNull(vault, "vault");
    }

    /** A context with a fresh vault. */
    public static InspectionContext of(String keyId, @Nullable String team) {
        return new InspectionContext(keyId, team, new RedactionVault());
    }
}
