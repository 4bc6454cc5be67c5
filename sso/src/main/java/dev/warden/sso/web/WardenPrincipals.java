package dev.warden.sso.web;

import dev.warden.sso.oidc.WardenOidcUser;
import dev.warden.sso.rbac.WardenPrincipal;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The current principal, for code that has no {@link CurrentPrincipal} parameter. */
public final class WardenPrincipals {

    private WardenPrincipals() {
    }

    /** The principal of the current request, if it is signed in through this module. */
    public static Optional<WardenPrincipal> current() {
        return Optional.ofNullable(from(SecurityContextHolder.getContext().getAuthentication()));
    }

    /**
     * The principal of the current request.
     *
     * @throws AuthenticationCredentialsNotFoundException when nobody is signed in (a 401)
     */
    public static WardenPrincipal require() {
        return current().orElseThrow(() -> new AuthenticationCredentialsNotFoundException("not signed in"));
    }

    public static @Nullable WardenPrincipal from(@Nullable Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return null;
        }
        return switch (authentication.getPrincipal()) {
            case WardenPrincipal p -> p;
            case WardenOidcUser user -> user.wardenPrincipal();
            case null, default -> null;
        };
    }
}
