package dev.warden.sso.web;

import static java.util.Objects.requireNonNull;

import dev.warden.sso.rbac.RoleGrant;
import dev.warden.sso.rbac.WardenPrincipal;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A signed-in {@link WardenPrincipal} (admin token, bearer JWT, SAML session). OIDC console sessions keep Spring's
 * {@code OAuth2AuthenticationToken} so RP-initiated logout works; {@link WardenPrincipals} reads both.
 * Authorities ({@code WARDEN_admin}, {@code WARDEN_key-manager@payments}) are informational: decisions go through
 * {@link dev.warden.sso.rbac.PermissionMatrix}, never through authority strings.
 */
public final class WardenAuthentication extends AbstractAuthenticationToken {

    private final WardenPrincipal principal;

    public WardenAuthentication(WardenPrincipal principal) {
        super(authoritiesOf(principal));
        this.principal = requireNonNull(principal, "principal");
        setAuthenticated(true);
    }

    static List<GrantedAuthority> authoritiesOf(WardenPrincipal principal) {
        return principal.grants().stream()
                .map(RoleGrant::toString)
                .sorted()
                .<GrantedAuthority>map(g -> new SimpleGrantedAuthority("WARDEN_" + g))
                .toList();
    }

    @Override
    public WardenPrincipal getPrincipal() {
        return principal;
    }

    /** Never the token: it was checked and is not kept. */
    @Override
    public @Nullable Object getCredentials() {
        return null;
    }

    @Override
    public String getName() {
        return principal.subject();
    }
}
