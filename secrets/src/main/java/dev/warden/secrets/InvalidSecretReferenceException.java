package dev.warden.secrets;

import org.jspecify.annotations.Nullable;

/** A reference that does not parse or does not fit its backend's syntax; a configuration error, never retried. */
public final class InvalidSecretReferenceException extends SecretException {

    public InvalidSecretReferenceException(@Nullable SecretReference reference, String message) {
        super(reference, message, null);
    }
}
