package dev.warden.gateway.providers;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A configured provider: where it is, how it is reached, which credentials Warden holds, adapter options. */
public record ProviderEndpoint(String name, String type, @Nullable URI baseUrl, Map<String, String> headers,
                               List<ProviderCredential> credentials, @Nullable Duration timeout,
                               Map<String, String> options) {
    public ProviderEndpoint {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
        headers = Map.copyOf(headers);
        credentials = List.copyOf(credentials);
        options = Map.copyOf(options);
    }

    /** An adapter-specific option ({@code warden.providers[i].options.*}), e.g. Azure's {@code api-version}. */
    public @Nullable String option(String name) {
        return options.get(name);
    }

    /** One key (or deployment credential) of a provider; {@code secretRef} is resolved at call time. */
    public record ProviderCredential(String id, @Nullable String secretRef, int weight) {
    }
}
