package dev.warden.gateway.providers;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A configured provider: where it is, how it is reached and which credentials Warden holds for it. */
public record ProviderEndpoint(String name, String type, @Nullable URI baseUrl, Map<String, String> headers,
                               List<ProviderCredential> credentials, @Nullable Duration timeout) {
    public ProviderEndpoint {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
        headers = Map.copyOf(headers);
        credentials = List.copyOf(credentials);
    }

    /** One key (or deployment credential) of a provider; {@code secretRef} is resolved at call time. */
    public record ProviderCredential(String id, @Nullable String secretRef, int weight) {
    }
}
