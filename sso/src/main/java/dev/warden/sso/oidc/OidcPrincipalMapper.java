package dev.warden.sso.oidc;

import static java.util.Objects.requireNonNull;

import dev.warden.sso.rbac.AuthenticationMethod;
import dev.warden.sso.rbac.RoleGrant;
import dev.warden.sso.rbac.RoleMapper;
import dev.warden.sso.rbac.WardenPrincipal;
import dev.warden.sso.web.SignInRefusedException;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Claims of a verified OIDC token → {@link WardenPrincipal}, shared by console login and bearer tokens so both apply
 * the same tenant check, groups claim, overage rule and role mappings.
 */
public final class OidcPrincipalMapper {

    private final RoleMapper roleMapper;

    public OidcPrincipalMapper(RoleMapper roleMapper) {
        this.roleMapper = requireNonNull(roleMapper, "roleMapper");
    }

    /**
     * @param requiredTenant when not null, the {@code tid} claim must equal it (Entra tenant restriction)
     * @throws SignInRefusedException wrong tenant, or no role mapped (with the overage reason when it applies)
     */
    public WardenPrincipal map(Map<String, Object> claims, AuthenticationMethod method, String groupsClaim,
            @Nullable String rolesClaim, @Nullable String requiredTenant) {
        String subject = string(claims.get("sub"));
        String issuer = string(claims.get("iss"));
        if (subject == null) {
            throw new SignInRefusedException("token has no sub claim", method, null, issuer);
        }
        if (requiredTenant != null) {
            String tid = string(claims.get("tid"));
            if (!requiredTenant.equals(tid)) {
                throw new SignInRefusedException("tenant " + tid + " is not allowed (expected: " + requiredTenant + ")",
                        method, subject, issuer);
            }
        }
        IdpGroups groups = IdpGroups.from(claims, groupsClaim, rolesClaim);
        Set<RoleGrant> grants = roleMapper.grantsFor(groups.values());
        if (grants.isEmpty()) {
            String reason = groups.overage()
                    ? "Entra group overage: the token carries no groups (too many to list) and no mapped app role;"
                            + " assign an app role or emit only groups assigned to the application"
                    : "no Warden role is mapped to the user's groups or roles";
            throw new SignInRefusedException(reason, method, subject, issuer);
        }
        String displayName = firstNonNull(string(claims.get("name")), string(claims.get("preferred_username")),
                string(claims.get("email")), string(claims.get("azp")), string(claims.get("client_id")), subject);
        return new WardenPrincipal(subject, displayName, string(claims.get("email")), grants, method, issuer);
    }

    private static @Nullable String string(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString();
        return s.isBlank() ? null : s;
    }

    @SafeVarargs
    private static <T> T firstNonNull(@Nullable T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        throw new IllegalArgumentException("all null");
    }
}
