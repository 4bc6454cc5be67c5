package dev.warden.gateway.providers;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A failed attempt at a provider. The router decides from it whether to fall back (429, 5xx, timeouts, connection
 * errors), rest the credential (401/403, 429) or give the caller the provider's answer (other 4xx).
 */
public final class UpstreamException extends Exception {
    public enum Failure { CONNECT, TIMEOUT, STATUS, PROTOCOL }

    private final Failure failure;
    private final int status;
    private final @Nullable Duration retryAfter;
    private final @Nullable String providerMessage;

    public UpstreamException(Failure failure, int status, String description, @Nullable Duration retryAfter,
                             @Nullable String providerMessage) {
        super(description, null, false, false);
        this.failure = failure;
        this.status = status;
        this.retryAfter = retryAfter;
        this.providerMessage = providerMessage;
    }

    public static UpstreamException connect(String description) {
        return new UpstreamException(Failure.CONNECT, 0, description, null, null);
    }

    public static UpstreamException timeout(String description) {
        return new UpstreamException(Failure.TIMEOUT, 0, description, null, null);
    }

    public static UpstreamException protocol(String description) {
        return new UpstreamException(Failure.PROTOCOL, 0, description, null, null);
    }

    public Failure failure() {
        return failure;
    }

    /** The provider's HTTP status, or 0 when none was received. */
    public int status() {
        return status;
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    /** The provider's own error message, if it sent one (already free of our credentials). */
    public @Nullable String providerMessage() {
        return providerMessage;
    }

    /** Worth trying the next target: the provider is down, overloaded or slow, not rejecting the request. */
    public boolean retryable() {
        return switch (failure) {
            case CONNECT, TIMEOUT, PROTOCOL -> true;
            case STATUS -> status == 408 || status == 409 || status == 429 || status >= 500;
        };
    }

    /** The provider rejected our credential: rest it and try another. */
    public boolean credentialRejected() {
        return failure == Failure.STATUS && (status == 401 || status == 403);
    }
}
