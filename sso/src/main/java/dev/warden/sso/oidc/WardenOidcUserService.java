package dev.warden.sso.oidc;

import static java.util.Objects.requireNonNull;

import dev.warden.sso.WardenSsoProperties.OidcProvider;
import dev.warden.sso.WardenSsoProperties.ProviderKind;
import dev.warden.sso.rbac.AuthenticationMethod;
import dev.warden.sso.rbac.WardenPrincipal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Console login: after Spring has verified the ID token (signature, issuer, audience, expiry, nonce), maps its
 * claims — merged with UserInfo when the provider serves one — to a {@link WardenPrincipal}.
 */
public final class WardenOidcUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

    private final OidcUserService delegate = new OidcUserService();
    private final Map<String, OidcProvider> providers;
    private final OidcPrincipalMapper mapper;

    public WardenOidcUserService(Map<String, OidcProvider> providers, OidcPrincipalMapper mapper) {
        this.providers = Map.copyOf(providers);
        this.mapper = requireNonNull(mapper, "mapper");
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) throws OAuth2AuthenticationException {
        OidcUser user = delegate.loadUser(request);
        String registrationId = request.getClientRegistration().getRegistrationId();
        OidcProvider provider = requireNonNull(providers.get(registrationId), registrationId);
        // ID token claims win over UserInfo for sub/iss/tid: they are the ones Spring verified.
        Map<String, Object> claims = new LinkedHashMap<>();
        if (user.getUserInfo() != null) {
            claims.putAll(user.getUserInfo().getClaims());
        }
        claims.putAll(user.getIdToken().getClaims());
        claims.put("iss", String.valueOf(user.getIdToken().getIssuer()));
        WardenPrincipal principal = mapper.map(claims, AuthenticationMethod.OIDC_SESSION,
                provider.effectiveGroupsClaim(), provider.effectiveRolesClaim(),
                provider.kind() == ProviderKind.ENTRA ? provider.tenantId() : null);
        return new WardenOidcUser(dev.warden.sso.web.WardenAuthenticationAuthorities.of(principal),
                user.getIdToken(), user.getUserInfo(), principal);
    }
}
