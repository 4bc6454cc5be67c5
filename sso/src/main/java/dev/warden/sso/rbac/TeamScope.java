package dev.warden.sso.rbac;

import java.util.Set;

/**
 * Which teams' objects a principal may see or change with one permission; for list endpoints, which must filter
 * rather than check object by object. Produced by {@link PermissionMatrix#teamScope}.
 */
public sealed interface TeamScope {

    /** Whether an object of {@code team} ({@code null} = not owned by a team) is inside the scope. */
    boolean includes(@org.jspecify.annotations.Nullable String team);

    /** Every team, and objects of no team. */
    record AllTeams() implements TeamScope {
        @Override
        public boolean includes(@org.jspecify.annotations.Nullable String team) {
            return true;
        }
    }

    /** Only objects owned by one of these teams. */
    record Teams(Set<String> teams) implements TeamScope {
        public Teams {
            teams = Set.copyOf(teams);
        }

        @Override
        public boolean includes(@org.jspecify.annotations.Nullable String team) {
            return team != null && teams.contains(team);
        }
    }

    /** Nothing at all. */
    record None() implements TeamScope {
        @Override
        public boolean includes(@org.jspecify.annotations.Nullable String team) {
            return false;
        }
    }
}
