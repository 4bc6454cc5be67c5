package dev.warden.sso.rbac;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.sso.rbac.RoleGrant.KeyScope;
import java.math.BigDecimal;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeGuardTest {

    static final KeyScope PAYMENTS_LIMITS = new KeyScope(Set.of("gpt-4o-mini", "claude-haiku"), Set.of("openai"), new BigDecimal("100"));

    static WardenPrincipal principal(String subject, RoleGrant... grants) {
        return new WardenPrincipal(subject, subject, null, Set.of(grants), AuthenticationMethod.OIDC_SESSION, "https://idp");
    }

    final WardenPrincipal teamManager = principal("tom", new RoleGrant(Role.KEY_MANAGER, "payments", PAYMENTS_LIMITS));

    @Test
    void aKeyWithinTheCreatorsLimitsPasses() {
        assertThatCode(() -> ScopeGuard.checkCanGrant(teamManager, "payments",
                new KeyScope(Set.of("gpt-4o-mini"), Set.of("openai"), new BigDecimal("100")))).doesNotThrowAnyException();
    }

    @Test
    void everyDimensionOfTheScopeIsChecked() {
        assertDenied("payments", new KeyScope(Set.of("gpt-4o"), Set.of("openai"), BigDecimal.ONE), "models: [gpt-4o] not allowed");
        assertDenied("payments", new KeyScope(Set.of(), Set.of("openai"), BigDecimal.ONE), "models: any");
        assertDenied("payments", new KeyScope(Set.of("gpt-4o-mini"), Set.of("anthropic"), BigDecimal.ONE), "providers: [anthropic]");
        assertDenied("payments", new KeyScope(Set.of("gpt-4o-mini"), Set.of(), BigDecimal.ONE), "providers: any");
        assertDenied("payments", new KeyScope(Set.of("gpt-4o-mini"), Set.of("openai"), new BigDecimal("100.01")), "budget: 100.01 USD");
        assertDenied("payments", new KeyScope(Set.of("gpt-4o-mini"), Set.of("openai"), null), "budget: unlimited");
        assertDenied("search", new KeyScope(Set.of("gpt-4o-mini"), Set.of("openai"), BigDecimal.ONE), "KEYS_WRITE on team search");
        assertDenied(null, new KeyScope(Set.of("gpt-4o-mini"), Set.of("openai"), BigDecimal.ONE), "KEYS_WRITE not granted");
    }

    @Test
    void limitsOfDifferentGrantsAreNotCombined() {
        WardenPrincipal twoTeams = principal("tess",
                new RoleGrant(Role.KEY_MANAGER, "a", new KeyScope(Set.of("x"), Set.of(), null)),
                new RoleGrant(Role.KEY_MANAGER, "b", new KeyScope(Set.of("y"), Set.of(), null)));

        assertThatThrownBy(() -> ScopeGuard.checkCanGrant(twoTeams, "a", new KeyScope(Set.of("y"), Set.of(), null)))
                .isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void nobodyChangesTheirOwnRoles() {
        WardenPrincipal admin = principal("alice", RoleGrant.global(Role.ADMIN));

        assertThatThrownBy(() -> ScopeGuard.checkCanAssignRoles(admin, "alice", "https://idp", Set.of(RoleGrant.global(Role.VIEWER))))
                .hasMessageContaining("nobody can change their own roles");
        // Same subject at another IdP is another person.
        assertThatCode(() -> ScopeGuard.checkCanAssignRoles(admin, "alice", "https://other-idp", Set.of(RoleGrant.global(Role.VIEWER))))
                .doesNotThrowAnyException();
    }

    @Test
    void onlyRoleWritersAssignRolesAndNeverBeyondTheirOwn() {
        WardenPrincipal manager = principal("bob", RoleGrant.global(Role.KEY_MANAGER));
        assertThatThrownBy(() -> ScopeGuard.checkCanAssignRoles(manager, "carol", "https://idp", Set.of(RoleGrant.global(Role.VIEWER))))
                .hasMessageContaining("ROLES_WRITE");

        RoleGrant limitedAdmin = new RoleGrant(Role.ADMIN, null, new KeyScope(Set.of("m"), Set.of(), null));
        WardenPrincipal admin = principal("alice", limitedAdmin);
        assertThatThrownBy(() -> ScopeGuard.checkCanAssignRoles(admin, "carol", "https://idp", Set.of(RoleGrant.global(Role.KEY_MANAGER))))
                .hasMessageContaining("beyond own grants");
    }

    private void assertDenied(String team, KeyScope requested, String reason) {
        assertThatThrownBy(() -> ScopeGuard.checkCanGrant(teamManager, team, requested))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining(reason);
    }
}
