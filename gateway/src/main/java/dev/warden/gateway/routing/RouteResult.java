package dev.warden.gateway.routing;

import dev.warden.gateway.pipeline.Attribute;
import java.util.List;

/** Where a request was served: provider, the provider's model name, which credential, and the failed hops before. */
public record RouteResult(String provider, String model, String credentialId, int attempts, List<String> failures) {
    public static final Attribute<RouteResult> ATTRIBUTE = Attribute.of("route", RouteResult.class);

    public RouteResult {
        failures = List.copyOf(failures);
    }

    public boolean fellBack() {
        return !failures.isEmpty();
    }
}
