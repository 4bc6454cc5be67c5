package dev.warden.sso.oidc;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The group names (or ids) and app roles a token asserts, as one set for {@link dev.warden.sso.rbac.RoleMapper}.
 *
 * <p>Entra group overage: when a user is in more groups than fit in a token (200 in a JWT), Entra leaves the
 * {@code groups} claim out and instead sends {@code _claim_names: {"groups": "src1"}} (or {@code hasgroups: true}
 * in implicit flows) pointing at Microsoft Graph. Warden does not call Graph (it would need Graph permissions and a
 * network path the VPC may not have); it sets {@link #overage()} so the caller can refuse the login with a clear
 * reason unless app roles alone map to a role. The README tells administrators to use app roles or
 * "groups assigned to the application", which never overflow.
 */
public record IdpGroups(Set<String> values, boolean overage) {

    public IdpGroups {
        values = Set.copyOf(values);
    }

    public static IdpGroups from(Map<String, Object> claims, String groupsClaim, @Nullable String rolesClaim) {
        Set<String> values = new LinkedHashSet<>();
        addAll(values, claims.get(groupsClaim));
        if (rolesClaim != null) {
            addAll(values, claims.get(rolesClaim));
        }
        boolean overage = false;
        if (claims.get("_claim_names") instanceof Map<?, ?> claimNames && claimNames.containsKey(groupsClaim)) {
            overage = true;
        }
        if (Boolean.TRUE.equals(claims.get("hasgroups")) || "true".equals(claims.get("hasgroups"))) {
            overage = true;
        }
        return new IdpGroups(values, overage);
    }

    private static void addAll(Set<String> into, @Nullable Object claim) {
        if (claim instanceof Collection<?> collection) {
            for (Object value : collection) {
                if (value != null && !value.toString().isBlank()) {
                    into.add(value.toString());
                }
            }
        } else if (claim instanceof String single && !single.isBlank()) {
            into.add(single);
        }
    }
}
