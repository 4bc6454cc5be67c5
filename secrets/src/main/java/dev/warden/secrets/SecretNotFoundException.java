package dev.warden.secrets;

import org.jspecify.annotations.Nullable;

/** The backend answered: no such secret, version or field. */
public final class SecretNotFoundException extends SecretException {

    public SecretNotFoundException(SecretReference reference, String message, @Nullable Throwable cause) {
        super(reference, message, cause);
    }

    public SecretNotFoundException(SecretReference reference, String message) {
        this(reference, message, null);
    }
}
