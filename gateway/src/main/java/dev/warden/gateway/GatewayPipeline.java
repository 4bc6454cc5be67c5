package dev.warden.gateway;

import dev.warden.gateway.auth.AuthenticateStage;
import dev.warden.gateway.auth.Authenticator;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.credentials.CredentialResolver;
import dev.warden.gateway.credentials.LocalCredentialResolver;
import dev.warden.gateway.pipeline.Pipeline;
import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.routing.KeyHealth;
import dev.warden.gateway.routing.RouteStage;
import dev.warden.gateway.routing.RouteTable;
import dev.warden.gateway.surface.SurfaceStage;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The request pipeline, in order, in one place (DESIGN.md §1). Read the list top to bottom to know what happens
 * to a request.
 */
@Configuration(proxyBeanMethods = false)
public class GatewayPipeline {

    @Bean
    Pipeline pipeline(Authenticator authenticator, RouteStage route) {
        return new Pipeline(List.of(
                new SurfaceStage(),                    // 1 parse the caller's protocol; 400 in its own error shape
                new AuthenticateStage(authenticator),  // 2 virtual key -> principal; 401
                route));                               // 7 fallback chain to providers; terminal
    }

    @Bean
    RouteStage routeStage(RouteTable table, Map<String, ProviderAdapter> adaptersByType, KeyHealth health,
                          CredentialResolver credentials, WardenProperties properties) {
        return new RouteStage(table, adaptersByType, health, credentials, properties);
    }

    @Bean
    Map<String, ProviderAdapter> adaptersByType(List<ProviderAdapter> adapters) {
        Map<String, ProviderAdapter> byType = new LinkedHashMap<>();
        for (ProviderAdapter adapter : adapters) {
            ProviderAdapter previous = byType.put(adapter.type(), adapter);
            if (previous != null) {
                throw new IllegalStateException("two provider adapters claim type '" + adapter.type() + "': "
                        + previous.getClass().getName() + " and " + adapter.getClass().getName());
            }
        }
        return byType;
    }

    @Bean
    RouteTable routeTable(WardenProperties properties, Map<String, ProviderAdapter> adaptersByType) {
        return RouteTable.from(properties, adaptersByType);
    }

    @Bean
    KeyHealth keyHealth() {
        return new KeyHealth();
    }

    @Bean
    CredentialResolver credentialResolver() {
        return new LocalCredentialResolver();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
