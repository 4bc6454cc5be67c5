package dev.warden.gateway.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A failure the caller is told about, in its own protocol. Messages are written for the caller: they name the
 * value and what was expected, and never carry secrets, keys or stack traces.
 */
public final class GatewayException extends RuntimeException {
    private final ErrorKind kind;
    private final int status;
    private final @Nullable String param;
    private final Map<String, String> headers;

    public GatewayException(ErrorKind kind, String message) {
        this(kind, message, null, Map.of());
    }

    public GatewayException(ErrorKind kind, String message, @Nullable String param) {
        this(kind, message, param, Map.of());
    }

    public GatewayException(ErrorKind kind, String message, @Nullable String param, Map<String, String> headers) {
        // No stack trace: these are expected outcomes, and they are thrown on the hot path.
        super(requireNonNull(message, "message"), null, false, false);
        this.kind = requireNonNull(kind, "kind");
        this.status = kind.status();
        this.param = param;
        this.headers = Map.copyOf(new LinkedHashMap<>(headers));
    }

    /** A provider's client error relayed with the provider's own status (e.g. 422), in the caller's protocol. */
    public GatewayException(ErrorKind kind, int status, String message) {
        super(requireNonNull(message, "message"), null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
        }
        this.kind = requireNonNull(kind, "kind");
        this.status = status;
        this.param = null;
        this.headers = Map.of();
    }

    public static GatewayException invalid(String param, String message) {
        return new GatewayException(ErrorKind.INVALID_REQUEST, message, param);
    }

    public ErrorKind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public @Nullable String param() {
        return param;
    }

    /** Extra response headers, e.g. {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }
}
