package dev.warden.sso.rbac;

import static dev.warden.sso.rbac.Permission.*;
import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The one place that says who may do what. Every admin endpoint and console page asks {@link #allows}; list endpoints
 * ask {@link #teamScope} and filter. The table is read, not computed: to change what a role may do, change this
 * table and the table in the module README, and {@code PermissionMatrixTest} will tell you which expectations moved.
 *
 * <p>Team scoping: a grant for team T allows a {@linkplain Permission#teamScopable() team-scopable} permission on
 * objects of team T only. Objects of no team ({@code teamOfTarget == null}: collections, global settings) need a
 * global grant. That is what stops a team's key-manager from reading or revoking another team's key by its id
 * (broken object-level authorisation): the endpoint passes the team of the key it loaded, not one the caller sent.
 */
public final class PermissionMatrix {

    private static final Map<Role, Set<Permission>> TABLE = new EnumMap<>(Role.class);

    static {
        TABLE.put(Role.ADMIN, EnumSet.allOf(Permission.class));
        TABLE.put(Role.KEY_MANAGER, EnumSet.of(KEYS_READ, KEYS_WRITE, TEAMS_READ, USAGE_READ));
        // The auditor reads everything a SOC 2 review needs, and changes nothing.
        TABLE.put(Role.AUDITOR, EnumSet.of(KEYS_READ, TEAMS_READ, CUSTOMERS_READ, USAGE_READ, AUDIT_READ,
                REPORTS_READ, CONFIG_READ, ROLES_READ));
        TABLE.put(Role.VIEWER, EnumSet.of(KEYS_READ, TEAMS_READ, USAGE_READ));
    }

    private PermissionMatrix() {
    }

    /** The permissions of a role held globally. */
    public static Set<Permission> permissionsOf(Role role) {
        return Set.copyOf(TABLE.get(requireNonNull(role, "role")));
    }

    /**
     * Whether {@code principal} may use {@code permission} on an object owned by {@code teamOfTarget}.
     *
     * @param teamOfTarget the team that owns the object as stored (never as sent by the caller); {@code null} for
     *     objects of no team and for collections, which then need a global grant
     */
    public static boolean allows(WardenPrincipal principal, Permission permission, @Nullable String teamOfTarget) {
        requireNonNull(principal, "principal");
        requireNonNull(permission, "permission");
        for (RoleGrant grant : principal.grants()) {
            if (grantAllows(grant, permission, teamOfTarget)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one grant, on its own, allows {@code permission} on an object of {@code teamOfTarget}. */
    public static boolean grantAllows(RoleGrant grant, Permission permission, @Nullable String teamOfTarget) {
        if (!TABLE.get(grant.role()).contains(permission)) {
            return false;
        }
        if (grant.isGlobal()) {
            return true;
        }
        return permission.teamScopable() && grant.team().equals(teamOfTarget);
    }

    /** The teams whose objects {@code principal} may use {@code permission} on; for filtering lists. */
    public static TeamScope teamScope(WardenPrincipal principal, Permission permission) {
        Set<String> teams = new TreeSet<>();
        for (RoleGrant grant : principal.grants()) {
            if (!TABLE.get(grant.role()).contains(permission)) {
                continue;
            }
            if (grant.isGlobal()) {
                return new TeamScope.AllTeams();
            }
            if (permission.teamScopable()) {
                teams.add(grant.team());
            }
        }
        return teams.isEmpty() ? new TeamScope.None() : new TeamScope.Teams(teams);
    }

    /**
     * Like {@link #allows} but throws with a reason fit for the caller.
     *
     * @throws PermissionDeniedException when not allowed
     */
    public static void require(WardenPrincipal principal, Permission permission, @Nullable String teamOfTarget) {
        if (!allows(principal, permission, teamOfTarget)) {
            throw new PermissionDeniedException(
                    "permission " + permission + (teamOfTarget == null ? "" : " on team " + teamOfTarget)
                            + " not granted to " + principal.grants(),
                    permission, teamOfTarget);
        }
    }
}
