package dev.warden.sso.testapp;

import static dev.warden.sso.rbac.Permission.*;

import dev.warden.sso.rbac.Role;
import dev.warden.sso.rbac.RoleGrant;
import dev.warden.sso.rbac.RoleGrant.KeyScope;
import dev.warden.sso.rbac.TeamScope;
import dev.warden.sso.rbac.WardenPrincipal;
import dev.warden.sso.web.AccessGuard;
import dev.warden.sso.web.CurrentPrincipal;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

/**
 * Admin endpoints shaped like the gateway's, each guarded the way the gateway must guard them: load the object, then
 * ask the guard with the object's stored team. Two keys exist: {@code k-pay} (team payments) and {@code k-search}.
 */
@RestController
@RequestMapping("/admin/api")
class DummyAdminController {

    record Key(String id, @Nullable String team, Set<String> models, @Nullable BigDecimal budgetUsd) {
    }

    record NewKey(String name, @Nullable String team, @Nullable List<String> models, @Nullable List<String> providers,
            @Nullable Budget budget) {
    }

    record Budget(BigDecimal limit_usd, String period) {
    }

    record GrantRequest(String role, @Nullable String team) {
    }

    private final AccessGuard access;
    private final Map<String, Key> keys = new ConcurrentHashMap<>(Map.of(
            "k-pay", new Key("k-pay", "payments", Set.of("gpt-4o-mini"), new BigDecimal("50")),
            "k-search", new Key("k-search", "search", Set.of("gpt-4o"), new BigDecimal("500"))));

    DummyAdminController(AccessGuard access) {
        this.access = access;
    }

    @GetMapping("/whoami")
    Map<String, Object> whoami(@CurrentPrincipal WardenPrincipal who) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", who.subject());
        body.put("displayName", who.displayName());
        body.put("method", who.method().name());
        body.put("grants", who.grants().stream().map(RoleGrant::toString).sorted().toList());
        return body;
    }

    @GetMapping("/keys")
    List<String> listKeys(@CurrentPrincipal WardenPrincipal who) {
        TeamScope scope = access.teamScope(who, KEYS_READ);
        return keys.values().stream().filter(k -> scope.includes(k.team())).map(Key::id).sorted().toList();
    }

    @GetMapping("/keys/{id}")
    ResponseEntity<Key> getKey(@PathVariable String id, @CurrentPrincipal WardenPrincipal who) {
        Key key = keys.get(id);
        if (key == null) {
            return ResponseEntity.notFound().build();
        }
        access.require(who, KEYS_READ, key.team());
        return ResponseEntity.ok(key);
    }

    @PostMapping("/keys")
    ResponseEntity<Map<String, String>> createKey(@RequestBody NewKey request, @CurrentPrincipal WardenPrincipal who) {
        KeyScope scope = new KeyScope(
                request.models() == null ? Set.of() : Set.copyOf(request.models()),
                request.providers() == null ? Set.of() : Set.copyOf(request.providers()),
                request.budget() == null ? null : request.budget().limit_usd());
        access.checkCanGrant(who, request.team(), scope);
        // The test app does not store new keys: the matrix test repeats requests and must see the same world.
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", "k-new", "key", "wdn_vk_not_a_real_key"));
    }

    @DeleteMapping("/keys/{id}")
    ResponseEntity<Void> revokeKey(@PathVariable String id, @CurrentPrincipal WardenPrincipal who) {
        Key key = keys.get(id);
        if (key == null) {
            return ResponseEntity.notFound().build();
        }
        access.require(who, KEYS_WRITE, key.team());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/teams/{team}")
    Map<String, String> getTeam(@PathVariable String team, @CurrentPrincipal WardenPrincipal who) {
        access.require(who, TEAMS_READ, team);
        return Map.of("team", team);
    }

    @PutMapping("/teams/{team}/budget")
    Map<String, String> setTeamBudget(@PathVariable String team, @RequestBody Budget budget,
            @CurrentPrincipal WardenPrincipal who) {
        access.require(who, TEAMS_WRITE, team);
        return Map.of("team", team, "limit_usd", budget.limit_usd().toPlainString());
    }

    @GetMapping("/usage")
    Map<String, String> usage(@RequestParam String team, @CurrentPrincipal WardenPrincipal who) {
        access.require(who, USAGE_READ, team);
        return Map.of("team", team, "spent_usd", "1.25");
    }

    @GetMapping("/audit")
    List<String> audit(@CurrentPrincipal WardenPrincipal who) {
        access.require(who, AUDIT_READ, null);
        return List.of("entry-1");
    }

    @GetMapping("/reports/soc2")
    Map<String, String> report(@CurrentPrincipal WardenPrincipal who) {
        access.require(who, REPORTS_READ, null);
        return Map.of("report", "soc2");
    }

    @PutMapping("/config")
    Map<String, String> config(@RequestBody Map<String, Object> config, @CurrentPrincipal WardenPrincipal who) {
        access.require(who, CONFIG_WRITE, null);
        return Map.of("status", "applied");
    }

    @PostMapping("/erasure")
    Map<String, String> erasure(@RequestBody Map<String, Object> request, @CurrentPrincipal WardenPrincipal who) {
        access.require(who, ERASURE_WRITE, null);
        return Map.of("status", "scheduled");
    }

    /** Role assignment for a subject at the caller's own IdP. */
    @PutMapping("/roles/{subject}")
    Map<String, Object> assignRoles(@PathVariable String subject, @RequestBody List<GrantRequest> grants,
            @CurrentPrincipal WardenPrincipal who) {
        Set<RoleGrant> wanted = grants.stream()
                .map(g -> g.team() == null ? RoleGrant.global(Role.parse(g.role())) : RoleGrant.forTeam(Role.parse(g.role()), g.team()))
                .collect(Collectors.toSet());
        access.checkCanAssignRoles(who, subject, who.issuer(), wanted);
        return Map.of("subject", subject, "grants", wanted.stream().map(RoleGrant::toString).sorted().toList());
    }
}
