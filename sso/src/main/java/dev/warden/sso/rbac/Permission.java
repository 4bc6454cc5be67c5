package dev.warden.sso.rbac;

/**
 * What an admin endpoint or console page needs. Every endpoint names exactly one permission and asks
 * {@link PermissionMatrix#allows} with the team of the object it touches.
 *
 * <p>{@link #teamScopable()} says whether a team-scoped grant (a team's key-manager, a team's viewer) can carry the
 * permission at all. Permissions that change the rules everyone else lives by (team budgets, configuration, roles,
 * erasure) or expose every team at once (audit trail, reports) are global only: a team-scoped grant never has them,
 * whatever its role. Otherwise a team's key-manager could raise its own team's budget.
 */
public enum Permission {
    KEYS_READ(true),
    KEYS_WRITE(true),
    TEAMS_READ(true),
    TEAMS_WRITE(false),
    CUSTOMERS_READ(false),
    CUSTOMERS_WRITE(false),
    USAGE_READ(true),
    AUDIT_READ(false),
    REPORTS_READ(false),
    CONFIG_READ(false),
    CONFIG_WRITE(false),
    ROLES_READ(false),
    ROLES_WRITE(false),
    ERASURE_WRITE(false);

    private final boolean teamScopable;

    Permission(boolean teamScopable) {
        this.teamScopable = teamScopable;
    }

    public boolean teamScopable() {
        return teamScopable;
    }
}
