package dev.warden.gateway.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The request as it arrived: surface, lower-cased headers and the raw body (already size-capped by the HTTP layer).
 */
public record Inbound(Surface surface, String path, Map<String, List<String>> headers, byte[] body,
                      String remoteAddress, String requestId) {
    public Inbound {
        requireNonNull(surface, "surface");
        requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        requireNonNull(body, "body");
        requireNonNull(remoteAddress, "remoteAddress");
        requireNonNull(requestId, "requestId");
    }

    /** The first value of a header, by lower-case name. */
    public @Nullable String header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
