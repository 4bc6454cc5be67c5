package dev.warden.sso.web;

import dev.warden.sso.rbac.WardenPrincipal;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;

/** The informational authorities of a principal (see {@link WardenAuthentication}). */
public final class WardenAuthenticationAuthorities {
    private WardenAuthenticationAuthorities() {
    }

    public static List<GrantedAuthority> of(WardenPrincipal principal) {
        return WardenAuthentication.authoritiesOf(principal);
    }
}
