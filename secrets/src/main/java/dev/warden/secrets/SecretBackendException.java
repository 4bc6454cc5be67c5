package dev.warden.secrets;

import org.jspecify.annotations.Nullable;

/**
 * The backend could not give an answer: unreachable, timed out, throttled, 5xx, or an answer we could not read.
 * Transient, so the resolver may serve a cached value for a bounded time.
 */
public final class SecretBackendException extends SecretException {

    public SecretBackendException(SecretReference reference, String message, @Nullable Throwable cause) {
        super(reference, message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
