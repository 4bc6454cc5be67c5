package dev.warden.secrets;

import org.jspecify.annotations.Nullable;

/**
 * Base of every failure in this module. Messages name the reference (a locator, not a secret) and what went wrong;
 * they never contain a secret value. Sources must keep it that way: build messages from status codes, error codes
 * and names, and never chain an exception whose message may echo a response payload (use {@link #redacted}).
 */
public abstract class SecretException extends RuntimeException {

    private final @Nullable SecretReference reference;

    protected SecretException(@Nullable SecretReference reference, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reference = reference;
    }

    /** The reference being resolved, or null when the failure is not about one (a malformed reference text). */
    public @Nullable SecretReference reference() {
        return reference;
    }

    /**
     * Whether the failure may clear by itself (backend unreachable, 5xx, timeout, throttling), which is when a cached
     * value may be served past its TTL. Definitive answers (not found, access denied) are not transient: a deleted
     * secret or a revoked permission takes effect when the cached value expires.
     */
    public boolean isTransient() {
        return false;
    }

    /**
     * A stand-in for {@code t} (and its causes) with the same class names and stack traces but no messages, for
     * exceptions whose messages are not under our control and might quote a payload.
     */
    public static Throwable redacted(Throwable t) {
        RedactedThrowable copy = new RedactedThrowable(t.getClass().getName(),
                t.getCause() == null || t.getCause() == t ? null : redacted(t.getCause()));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    private static final class RedactedThrowable extends RuntimeException {
        RedactedThrowable(String originalClass, @Nullable Throwable cause) {
            super(originalClass + " (message withheld: it may quote a secret)", cause, false, true);
        }
    }
}
