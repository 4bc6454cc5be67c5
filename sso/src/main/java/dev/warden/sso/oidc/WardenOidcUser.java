package dev.warden.sso.oidc;

import static java.util.Objects.requireNonNull;

import dev.warden.sso.rbac.WardenPrincipal;
import java.util.Collection;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;

/** An OIDC console user, carrying the {@link WardenPrincipal} mapped at login (kept in the session). */
public final class WardenOidcUser extends DefaultOidcUser {

    private final WardenPrincipal wardenPrincipal;

    public WardenOidcUser(Collection<? extends GrantedAuthority> authorities, OidcIdToken idToken,
            @Nullable OidcUserInfo userInfo, WardenPrincipal wardenPrincipal) {
        super(authorities, idToken, userInfo, "sub");
        this.wardenPrincipal = requireNonNull(wardenPrincipal, "wardenPrincipal");
    }

    public WardenPrincipal wardenPrincipal() {
        return wardenPrincipal;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WardenOidcUser other && super.equals(o) && wardenPrincipal.equals(other.wardenPrincipal);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + wardenPrincipal.hashCode();
    }
}
