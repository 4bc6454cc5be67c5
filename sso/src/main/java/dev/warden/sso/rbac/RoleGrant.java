package dev.warden.sso.rbac;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One role held by a principal: globally ({@code team == null}) or for one team, with the limits on what keys the
 * holder may create ({@link KeyScope}; {@link KeyScope#UNLIMITED} when the mapping sets none).
 */
public record RoleGrant(Role role, @Nullable String team, KeyScope keyLimits) implements Serializable {

    public RoleGrant {
        requireNonNull(role, "role");
        requireNonNull(keyLimits, "keyLimits");
        if (team != null && team.isBlank()) {
            throw new IllegalArgumentException("team: '' (expected: a team name, or no team for a global grant)");
        }
    }

    public static RoleGrant global(Role role) {
        return new RoleGrant(role, null, KeyScope.UNLIMITED);
    }

    public static RoleGrant forTeam(Role role, String team) {
        return new RoleGrant(role, requireNonNull(team, "team"), KeyScope.UNLIMITED);
    }

    public boolean isGlobal() {
        return team == null;
    }

    /**
     * Whether this grant is at most {@code other}: same or lower role power, narrower or equal team, and key
     * limits within the other's. Used so that nobody hands out more than they hold.
     */
    public boolean isWithin(RoleGrant other) {
        boolean teamWithin = other.team == null || other.team.equals(team);
        boolean roleWithin = PermissionMatrix.permissionsOf(other.role).containsAll(PermissionMatrix.permissionsOf(role));
        return teamWithin && roleWithin && keyLimits.isWithin(other.keyLimits);
    }

    @Override
    public String toString() {
        return role.id() + (team == null ? "" : "@" + team);
    }

    /**
     * The scope of a virtual key: its team, allowed models and providers (empty = any) and budget ({@code null} =
     * unlimited). The same type describes the limits a role grant puts on the keys its holder may create.
     */
    public record KeyScope(Set<String> models, Set<String> providers, @Nullable BigDecimal maxBudgetUsd)
            implements Serializable {

        public static final KeyScope UNLIMITED = new KeyScope(Set.of(), Set.of(), null);

        public KeyScope {
            models = Set.copyOf(new TreeSet<>(requireNonNull(models, "models")));
            providers = Set.copyOf(new TreeSet<>(requireNonNull(providers, "providers")));
            if (maxBudgetUsd != null && maxBudgetUsd.signum() < 0) {
                throw new IllegalArgumentException("maxBudgetUsd: " + maxBudgetUsd + " (expected: >= 0)");
            }
        }

        /** True when every model, provider and dollar allowed here is also allowed by {@code outer}. */
        public boolean isWithin(KeyScope outer) {
            return firstExcess(outer) == null;
        }

        /** Why this scope is not within {@code outer}, or null when it is. Never contains secrets. */
        @Nullable String firstExcess(KeyScope outer) {
            if (!outer.models.isEmpty()) {
                if (models.isEmpty()) {
                    return "models: any (expected: a subset of " + new TreeSet<>(outer.models) + ")";
                }
                if (!outer.models.containsAll(models)) {
                    Set<String> extra = new TreeSet<>(models);
                    extra.removeAll(outer.models);
                    return "models: " + extra + " not allowed (expected: a subset of " + new TreeSet<>(outer.models) + ")";
                }
            }
            if (!outer.providers.isEmpty()) {
                if (providers.isEmpty()) {
                    return "providers: any (expected: a subset of " + new TreeSet<>(outer.providers) + ")";
                }
                if (!outer.providers.containsAll(providers)) {
                    Set<String> extra = new TreeSet<>(providers);
                    extra.removeAll(outer.providers);
                    return "providers: " + extra + " not allowed (expected: a subset of "
                            + new TreeSet<>(outer.providers) + ")";
                }
            }
            if (outer.maxBudgetUsd != null) {
                if (maxBudgetUsd == null) {
                    return "budget: unlimited (expected: at most " + outer.maxBudgetUsd.toPlainString() + " USD)";
                }
                if (maxBudgetUsd.compareTo(outer.maxBudgetUsd) > 0) {
                    return "budget: " + maxBudgetUsd.toPlainString() + " USD (expected: at most "
                            + outer.maxBudgetUsd.toPlainString() + " USD)";
                }
            }
            return null;
        }
    }
}
