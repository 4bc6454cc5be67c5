package dev.warden.sso.rbac;

import static java.util.Objects.requireNonNull;

import dev.warden.sso.rbac.RoleGrant.KeyScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rules that stop privilege from growing through the admin API: a key never reaches further than its creator,
 * and nobody changes their own roles or hands out more than they hold. The admin API calls these before it writes;
 * they throw {@link PermissionDeniedException} with a reason that names the offending value.
 */
public final class ScopeGuard {

    private ScopeGuard() {
    }

    /**
     * Checks that {@code creator} may create (or widen) a key with {@code requested} scope for {@code team}.
     *
     * <p>Passes only if one grant of the creator both allows {@link Permission#KEYS_WRITE} on {@code team} and has key
     * limits that contain the requested models, providers and budget. One grant, not a mix: holding
     * "key-manager@a with models [x]" and "key-manager@b with models [y]" must not allow a key of team a with model y.
     *
     * @param team the key's team ({@code null}: a key of no team, which needs a global grant)
     * @param requested the key's models and providers (empty = any) and budget ({@code null} = unlimited)
     */
    public static void checkCanGrant(WardenPrincipal creator, @Nullable String team, KeyScope requested) {
        requireNonNull(creator, "creator");
        requireNonNull(requested, "requested");
        List<String> reasons = new ArrayList<>();
        for (RoleGrant grant : creator.grants()) {
            if (!PermissionMatrix.grantAllows(grant, Permission.KEYS_WRITE, team)) {
                continue;
            }
            String excess = requested.firstExcess(grant.keyLimits());
            if (excess == null) {
                return;
            }
            reasons.add(grant + ": " + excess);
        }
        if (reasons.isEmpty()) {
            throw new PermissionDeniedException("permission KEYS_WRITE" + (team == null ? "" : " on team " + team)
                    + " not granted to " + creator.grants(), Permission.KEYS_WRITE, team);
        }
        throw new PermissionDeniedException("key scope exceeds the creator's: " + String.join("; ", reasons),
                Permission.KEYS_WRITE, team);
    }

    /** Convenience for {@link #checkCanGrant(WardenPrincipal, String, KeyScope)}. */
    public static void checkCanGrant(WardenPrincipal creator, @Nullable String team, Set<String> models,
            Set<String> providers, java.math.@Nullable BigDecimal budgetUsd) {
        checkCanGrant(creator, team, new KeyScope(models, providers, budgetUsd));
    }

    /**
     * Checks that {@code actor} may give {@code targetSubject} at {@code targetIssuer} the role grants {@code newGrants}.
     *
     * <p>Needs {@link Permission#ROLES_WRITE}; refuses any change to the actor's own grants (nobody raises their own
     * role, and an admin who lowers their own can lock everyone out); and refuses grants beyond what the actor holds.
     */
    public static void checkCanAssignRoles(WardenPrincipal actor, String targetSubject, @Nullable String targetIssuer,
            Set<RoleGrant> newGrants) {
        requireNonNull(actor, "actor");
        requireNonNull(targetSubject, "targetSubject");
        requireNonNull(newGrants, "newGrants");
        PermissionMatrix.require(actor, Permission.ROLES_WRITE, null);
        if (actor.isSameIdentity(targetSubject, targetIssuer)) {
            throw new PermissionDeniedException("nobody can change their own roles (subject " + targetSubject + ")",
                    Permission.ROLES_WRITE, null);
        }
        for (RoleGrant wanted : newGrants) {
            boolean held = actor.grants().stream().anyMatch(wanted::isWithin);
            if (!held) {
                throw new PermissionDeniedException("cannot grant " + wanted + " beyond own grants " + actor.grants(),
                        Permission.ROLES_WRITE, wanted.team());
            }
        }
    }
}
