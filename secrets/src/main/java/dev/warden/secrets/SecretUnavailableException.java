package dev.warden.secrets;

/**
 * Thrown by {@link SecretResolver#resolve} when no value may be used: the resolver fails closed. The message names
 * the reference and why; {@link #getCause()} is the backend's {@link SecretException}. Never contains the value.
 */
public final class SecretUnavailableException extends SecretException {

    public SecretUnavailableException(SecretReference reference, String message, SecretException cause) {
        super(reference, message, cause);
    }

    @Override
    public SecretReference reference() {
        SecretReference ref = super.reference();
        assert ref != null;
        return ref;
    }

    @Override
    public synchronized SecretException getCause() {
        return (SecretException) super.getCause();
    }

    @Override
    public boolean isTransient() {
        return getCause().isTransient();
    }
}
