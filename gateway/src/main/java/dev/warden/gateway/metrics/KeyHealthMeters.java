package dev.warden.gateway.metrics;

import dev.warden.gateway.providers.ProviderEndpoint;
import dev.warden.gateway.routing.KeyHealth;
import dev.warden.gateway.routing.RouteTable;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The health of every configured provider credential: whether it is serving or resting (after a 401/403, or a 429
 * with Retry-After), and how often it was sent to rest. One series per configured key slot, so the count is fixed
 * by configuration; the label values are the provider's configured name and the key's configured id, never the key.
 */
@Component
public class KeyHealthMeters {

    public KeyHealthMeters(MeterRegistry registry, RouteTable routes, KeyHealth health) {
        for (ProviderEndpoint endpoint : routes.endpoints().values()) {
            for (ProviderEndpoint.ProviderCredential credential : endpoint.credentials()) {
                String id = credential.id();
                Gauge.builder("warden.provider.key.healthy", health, h -> h.isResting(endpoint, id) ? 0 : 1)
                        .description("1 while a provider credential serves requests, 0 while it rests")
                        .tag("provider", endpoint.name()).tag("key", id)
                        .strongReference(true)
                        .register(registry);
                FunctionCounter.builder("warden.provider.key.rests", health, h -> h.rests(endpoint, id))
                        .description("Times a provider credential was rested after a rejection or a rate limit")
                        .tag("provider", endpoint.name()).tag("key", id)
                        .register(registry);
            }
        }
    }
}
