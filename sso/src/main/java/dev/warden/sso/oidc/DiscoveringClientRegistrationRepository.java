package dev.warden.sso.oidc;

import dev.warden.sso.WardenSsoProperties.OidcProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * Client registrations built from each provider's discovery document on first use, not at startup: an IdP that is
 * down must not keep the gateway (and LLM traffic) from starting. A failed discovery is not cached, so the next
 * login attempt retries.
 */
public final class DiscoveringClientRegistrationRepository implements ClientRegistrationRepository {

    private final Map<String, OidcProvider> providers;
    private final @Nullable String baseUrl;
    private final Map<String, ClientRegistration> resolved = new ConcurrentHashMap<>();

    /** @param baseUrl the gateway's public URL for redirect URIs; null to derive it from the request */
    public DiscoveringClientRegistrationRepository(Map<String, OidcProvider> providers, @Nullable String baseUrl) {
        this.providers = Map.copyOf(providers);
        this.baseUrl = baseUrl;
    }

    @Override
    public @Nullable ClientRegistration findByRegistrationId(String registrationId) {
        OidcProvider provider = providers.get(registrationId);
        if (provider == null) {
            return null;
        }
        return resolved.computeIfAbsent(registrationId, id -> discover(id, provider));
    }

    private ClientRegistration discover(String id, OidcProvider provider) {
        String issuer = String.valueOf(provider.issuerUri());
        try {
            String secret = provider.clientSecret();
            return ClientRegistrations.fromIssuerLocation(issuer)
                    .registrationId(id)
                    .clientId(String.valueOf(provider.clientId()))
                    .clientSecret(secret)
                    // No secret: a public client, protected by PKCE alone.
                    .clientAuthenticationMethod(secret == null || secret.isBlank()
                            ? ClientAuthenticationMethod.NONE : ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri((baseUrl != null ? baseUrl : "{baseUrl}") + "/login/oauth2/code/{registrationId}")
                    .scope(provider.effectiveScopes())
                    .clientName(provider.displayName() != null ? provider.displayName() : id)
                    .build();
        } catch (RuntimeException e) {
            throw new IllegalStateException("OIDC discovery failed for warden.sso.oidc." + id + ".issuer-uri=" + issuer
                    + ": " + e.getMessage(), e);
        }
    }
}
