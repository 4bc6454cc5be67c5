package dev.warden.gateway.providers;

import static java.util.Objects.requireNonNull;

import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.surface.CanonicalRequest;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One attempt against one target: the request, the endpoint, the model name the provider knows, the credential
 * value (resolved just now, never logged) and the headers the caller sent that may be forwarded.
 */
public record UpstreamCall(CanonicalRequest request, ProviderEndpoint endpoint, String upstreamModel,
                           String credentialId, @Nullable String credential, Map<String, String> forwardHeaders,
                           Duration timeout, Duration idleTimeout, Exchange exchange) {
    public UpstreamCall {
        requireNonNull(request, "request");
        requireNonNull(endpoint, "endpoint");
        requireNonNull(upstreamModel, "upstreamModel");
        requireNonNull(credentialId, "credentialId");
        forwardHeaders = Map.copyOf(forwardHeaders);
        requireNonNull(exchange, "exchange");
    }

    @Override
    public String toString() {
        // The credential must never reach a log line through this record.
        return "UpstreamCall[" + endpoint.name() + "/" + upstreamModel + ", credential " + credentialId + "]";
    }
}
