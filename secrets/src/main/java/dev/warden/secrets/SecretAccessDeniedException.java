package dev.warden.secrets;

import org.jspecify.annotations.Nullable;

/** The backend answered: the gateway's identity may not read this secret (or could not authenticate at all). */
public final class SecretAccessDeniedException extends SecretException {

    public SecretAccessDeniedException(SecretReference reference, String message, @Nullable Throwable cause) {
        super(reference, message, cause);
    }
}
