package dev.warden.sso.rbac;

import static dev.warden.sso.rbac.Permission.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionMatrixTest {

    static WardenPrincipal with(RoleGrant... grants) {
        return new WardenPrincipal("u1", "User One", null, Set.of(grants), AuthenticationMethod.OIDC_BEARER, "https://idp");
    }

    @Test
    void theRoleTableIsTheOneInTheReadme() {
        assertThat(PermissionMatrix.permissionsOf(Role.ADMIN)).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(Permission.class));
        assertThat(PermissionMatrix.permissionsOf(Role.KEY_MANAGER))
                .containsExactlyInAnyOrder(KEYS_READ, KEYS_WRITE, TEAMS_READ, USAGE_READ);
        assertThat(PermissionMatrix.permissionsOf(Role.AUDITOR)).containsExactlyInAnyOrder(KEYS_READ, TEAMS_READ,
                CUSTOMERS_READ, USAGE_READ, AUDIT_READ, REPORTS_READ, CONFIG_READ, ROLES_READ);
        assertThat(PermissionMatrix.permissionsOf(Role.VIEWER)).containsExactlyInAnyOrder(KEYS_READ, TEAMS_READ, USAGE_READ);
    }

    @Test
    void onlyAdminsWrite_configurationRolesTeamsCustomersOrErasure() {
        for (Role role : Role.values()) {
            boolean admin = role == Role.ADMIN;
            for (Permission p : Set.of(CONFIG_WRITE, ROLES_WRITE, TEAMS_WRITE, CUSTOMERS_WRITE, ERASURE_WRITE)) {
                assertThat(PermissionMatrix.allows(with(RoleGrant.global(role)), p, null)).as("%s %s", role, p).isEqualTo(admin);
            }
        }
    }

    @Test
    void aTeamGrantReachesOnlyItsTeamsObjects() {
        WardenPrincipal teamManager = with(RoleGrant.forTeam(Role.KEY_MANAGER, "payments"));

        assertThat(PermissionMatrix.allows(teamManager, KEYS_WRITE, "payments")).isTrue();
        assertThat(PermissionMatrix.allows(teamManager, KEYS_WRITE, "search")).isFalse();
        assertThat(PermissionMatrix.allows(teamManager, KEYS_WRITE, null)).as("objects of no team need a global grant").isFalse();
        assertThat(PermissionMatrix.allows(teamManager, KEYS_WRITE, "Payments")).as("team names are exact").isFalse();
    }

    @Test
    void aTeamScopedAdminGetsNoGlobalOnlyPermission() {
        WardenPrincipal teamAdmin = with(RoleGrant.forTeam(Role.ADMIN, "payments"));

        assertThat(PermissionMatrix.allows(teamAdmin, KEYS_WRITE, "payments")).isTrue();
        assertThat(PermissionMatrix.allows(teamAdmin, TEAMS_WRITE, "payments")).isFalse();
        assertThat(PermissionMatrix.allows(teamAdmin, ROLES_WRITE, "payments")).isFalse();
        assertThat(PermissionMatrix.allows(teamAdmin, AUDIT_READ, "payments")).isFalse();
    }

    @Test
    void teamScopeListsTheReadableTeams() {
        assertThat(PermissionMatrix.teamScope(with(RoleGrant.global(Role.VIEWER)), KEYS_READ)).isInstanceOf(TeamScope.AllTeams.class);
        assertThat(PermissionMatrix.teamScope(with(RoleGrant.forTeam(Role.VIEWER, "a"), RoleGrant.forTeam(Role.KEY_MANAGER, "b")), KEYS_READ))
                .isEqualTo(new TeamScope.Teams(Set.of("a", "b")));
        assertThat(PermissionMatrix.teamScope(with(RoleGrant.forTeam(Role.VIEWER, "a")), KEYS_WRITE)).isInstanceOf(TeamScope.None.class);
        assertThat(PermissionMatrix.teamScope(with(RoleGrant.forTeam(Role.AUDITOR, "a")), AUDIT_READ)).isInstanceOf(TeamScope.None.class);
    }

    @Test
    void requireNamesThePermissionAndTeam() {
        assertThatThrownBy(() -> PermissionMatrix.require(with(RoleGrant.global(Role.VIEWER)), KEYS_WRITE, "payments"))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessage("permission KEYS_WRITE on team payments not granted to [viewer]");
    }

    @Test
    void nobodyWithoutGrantsMayDoAnything() {
        WardenPrincipal nobody = with();
        for (Permission p : Permission.values()) {
            assertThat(PermissionMatrix.allows(nobody, p, null)).isFalse();
            assertThat(PermissionMatrix.allows(nobody, p, "payments")).isFalse();
        }
    }
}
