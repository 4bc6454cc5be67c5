package dev.warden.gateway.auth;

import dev.warden.gateway.governance.Policy;
import dev.warden.gateway.pipeline.Attribute;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A caller's credential as the gateway knows it: identity and policy, never the key itself (only its hash is
 * stored). Empty allow-lists mean "any".
 */
public record VirtualKey(
        String id,
        String name,
        String hint,
        @Nullable String owner,
        @Nullable String teamId,
        @Nullable String customerId,
        List<String> models,
        List<String> providers,
        Map<String, String> metadata,
        @Nullable Instant expiresAt,
        @Nullable Instant revokedAt,
        List<Policy.Budget> budgets,
        Policy.RateLimit rateLimit,
        long version) {

    public static final Attribute<VirtualKey> ATTRIBUTE = Attribute.of("virtualKey", VirtualKey.class);

    public VirtualKey {
        models = List.copyOf(models);
        providers = List.copyOf(providers);
        metadata = Map.copyOf(metadata);
        budgets = List.copyOf(budgets);
    }

    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** Whether the key may use a model: exact names, or patterns ending in {@code *}. */
    public boolean allowsModel(String model) {
        if (models.isEmpty()) {
            return true;
        }
        for (String allowed : models) {
            if (allowed.equals(model) || allowed.endsWith("*")
                    && model.startsWith(allowed.substring(0, allowed.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    public boolean allowsProvider(String provider) {
        return providers.isEmpty() || providers.contains(provider);
    }
}
