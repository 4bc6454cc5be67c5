package dev.warden.guardrails;

import org.jspecify.annotations.Nullable;

/**
 * A guardrail could not reach a verdict: vendor error, throttling, bad configuration, unreadable answer.
 *
 * <p>The message names the guardrail, the HTTP status and the vendor's error code; it never holds credentials or
 * the inspected text, so the chain may record it in the ledger as is.
 */
public class GuardrailException extends Exception {

    private final int status;
    private final boolean throttled;

    public GuardrailException(String message, int status, boolean throttled, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
        this.throttled = throttled;
    }

    public GuardrailException(String message) {
        this(message, 0, false, null);
    }

    /** The vendor's HTTP status, 0 when there was none (connection error, timeout, parse error). */
    public int status() {
        return status;
    }

    /** True when the vendor rate-limited us (HTTP 429, or the SDK's throttling error). */
    public boolean throttled() {
        return throttled;
    }
}
