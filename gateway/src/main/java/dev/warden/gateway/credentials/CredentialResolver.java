package dev.warden.gateway.credentials;

import org.jspecify.annotations.Nullable;

/**
 * Resolves a provider credential reference to its value at call time, so rotation needs no restart and values are
 * never kept in configuration objects. Implementations must not log values or put them in exception messages.
 */
public interface CredentialResolver {
    /** The value for {@code reference}, or null when the reference is null (a keyless endpoint). */
    @Nullable String reveal(@Nullable String reference) throws CredentialUnavailableException;

    /** A reference that cannot be resolved now; the message names the reference, never a value. */
    final class CredentialUnavailableException extends Exception {
        public CredentialUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}
