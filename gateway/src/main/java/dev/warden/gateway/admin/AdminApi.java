package dev.warden.gateway.admin;

import dev.warden.gateway.auth.Authenticator;
import dev.warden.gateway.auth.KeyMaterial;
import dev.warden.gateway.auth.KeyRepository;
import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.governance.BudgetPeriod;
import dev.warden.gateway.governance.Counters;
import dev.warden.gateway.governance.Money;
import dev.warden.gateway.governance.OrgRepository;
import dev.warden.gateway.governance.Policy;
import dev.warden.gateway.governance.UsageRecorder;
import dev.warden.gateway.routing.RouteTable;
import dev.warden.sso.rbac.Permission;
import dev.warden.sso.rbac.PermissionMatrix;
import dev.warden.sso.rbac.RoleGrant;
import dev.warden.sso.rbac.TeamScope;
import dev.warden.sso.rbac.WardenPrincipal;
import dev.warden.sso.web.AccessGuard;
import dev.warden.sso.web.WardenPrincipals;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin API: virtual keys, teams, customers and usage. Every change is effective on the next request (caches
 * are invalidated) and recorded through {@link AdminAudit}. Bad input is a 400 naming the field; nothing is written
 * half-way (each change is one row update).
 */
@RestController
@RequestMapping(path = "/admin/api", produces = MediaType.APPLICATION_JSON_VALUE)
public class AdminApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The longest range a usage query may span: bounds the rows one request can read. */
    private static final int MAX_USAGE_DAYS = 400;

    private final KeyRepository keys;
    private final OrgRepository orgs;
    private final Authenticator authenticator;
    private final Counters counters;
    private final UsageRecorder usage;
    private final RouteTable routes;
    private final AdminAudit audit;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final ZoneId zone;
    private final AccessGuard guard;

    public AdminApi(KeyRepository keys, OrgRepository orgs, Authenticator authenticator, Counters counters,
                    UsageRecorder usage, RouteTable routes, AdminAudit audit, JdbcClient jdbc, Clock clock,
                    WardenProperties properties, AccessGuard guard) {
        this.guard = guard;
        this.keys = keys;
        this.orgs = orgs;
        this.authenticator = authenticator;
        this.counters = counters;
        this.usage = usage;
        this.routes = routes;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
        this.zone = properties.governance().timeZone();
    }

    // ---------------------------------------------------------------- keys

    @PostMapping("/keys")
    public ResponseEntity<byte[]> createKey(HttpServletRequest http) {
        ObjectNode request = object(read(http));
        known(request, "name", "owner", "team", "models", "providers", "budget", "budgets", "rate_limit",
                "expires_at", "metadata");
        String name = requiredString(request, "name", 200);
        if (!keys.findActiveByName(name).isEmpty()) {
            throw new AdminException("name", "name: \"" + name + "\" is already used by an active key "
                    + "(expected: a unique name)");
        }
        String teamId = teamRef(request.get("team"));
        List<String> models = models(request.get("models"));
        List<String> providers = providers(request.get("providers"));
        List<Policy.Budget> budgets = budgets(request);
        Policy.RateLimit rateLimit = rateLimit(request.get("rate_limit"));
        Instant expiresAt = expiry(request.get("expires_at"));
        Map<String, String> metadata = metadata(request.get("metadata"));
        String owner = optionalString(request, "owner", 200);
        WardenPrincipal who = WardenPrincipals.require();
        guard.require(who, Permission.KEYS_WRITE, teamName(teamId));
        guard.checkCanGrant(who, teamName(teamId), scope(models, providers, budgets));

        String secret = KeyMaterial.newKey();
        VirtualKey key = keys.insert(KeyMaterial.newId("key_"), name, KeyMaterial.hash(secret),
                KeyMaterial.hint(secret), owner, teamId, models, providers, metadata, expiresAt, budgets, rateLimit,
                clock.instant());
        authenticator.invalidate();
        record(http, "key.create", key.id(), Map.of("name", name, "models", String.join(",", models),
                "budgets", Policy.budgetsJson(budgets), "team", String.valueOf(teamId)));
        ObjectNode view = keyView(key);
        // The key itself is shown once, here; only its hash is stored.
        view.put("key", secret);
        return json(201, view);
    }

    @GetMapping("/keys")
    public ResponseEntity<byte[]> listKeys() {
        TeamScope scope = guard.teamScope(WardenPrincipals.require(), Permission.KEYS_READ);
        ObjectNode root = NODES.objectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        keys.findAll().stream().filter(key -> visible(scope, key.teamId())).forEach(key -> data.add(keyView(key)));
        return json(200, root);
    }

    @GetMapping("/keys/{id}")
    public ResponseEntity<byte[]> getKey(@PathVariable String id) {
        VirtualKey key = key(id);
        guard.require(WardenPrincipals.require(), Permission.KEYS_READ, teamName(key.teamId()));
        return json(200, keyView(key));
    }

    @PatchMapping("/keys/{id}")
    public ResponseEntity<byte[]> updateKey(@PathVariable String id, HttpServletRequest http) {
        VirtualKey current = key(id);
        WardenPrincipal who = WardenPrincipals.require();
        guard.require(who, Permission.KEYS_WRITE, teamName(current.teamId()));
        if (current.revokedAt() != null) {
            throw new AdminException("id", "key " + id + " is revoked (expected: an active key)");
        }
        ObjectNode request = object(read(http));
        known(request, "name", "owner", "team", "models", "providers", "budget", "budgets", "rate_limit",
                "expires_at", "metadata");
        String name = request.has("name") ? requiredString(request, "name", 200) : current.name();
        if (!name.equals(current.name()) && !keys.findActiveByName(name).isEmpty()) {
            throw new AdminException("name", "name: \"" + name + "\" is already used by an active key");
        }
        VirtualKey updated = new VirtualKey(current.id(), name, current.hint(),
                request.has("owner") ? optionalString(request, "owner", 200) : current.owner(),
                request.has("team") ? teamRef(request.get("team")) : current.teamId(), current.customerId(),
                request.has("models") ? models(request.get("models")) : current.models(),
                request.has("providers") ? providers(request.get("providers")) : current.providers(),
                request.has("metadata") ? metadata(request.get("metadata")) : current.metadata(),
                request.has("expires_at") ? expiry(request.get("expires_at")) : current.expiresAt(),
                current.revokedAt(),
                request.has("budget") || request.has("budgets") ? budgets(request) : current.budgets(),
                request.has("rate_limit") ? rateLimit(request.get("rate_limit")) : current.rateLimit(),
                current.version());
        // The edited key must be within the editor's reach as a whole: its team and its scope.
        guard.require(who, Permission.KEYS_WRITE, teamName(updated.teamId()));
        guard.checkCanGrant(who, teamName(updated.teamId()), scope(updated.models(), updated.providers(),
                updated.budgets()));
        if (!keys.update(updated)) {
            throw new AdminException("id", "key " + id + " was changed concurrently; read it again and retry");
        }
        authenticator.invalidate();
        record(http, "key.update", id, Map.of("fields", String.join(",", fieldNames(request))));
        return json(200, keyView(key(id)));
    }

    @DeleteMapping("/keys/{id}")
    public ResponseEntity<byte[]> revokeKey(@PathVariable String id, HttpServletRequest http) {
        VirtualKey key = key(id);
        guard.require(WardenPrincipals.require(), Permission.KEYS_WRITE, teamName(key.teamId()));
        if (key.revokedAt() == null) {
            keys.revoke(id, clock.instant());
            authenticator.invalidate();
            record(http, "key.revoke", id, Map.of("name", key.name()));
        }
        return json(200, keyView(key(id)));
    }

    // ---------------------------------------------------------------- teams and customers

    @PostMapping("/teams")
    public ResponseEntity<byte[]> createTeam(HttpServletRequest http) {
        return createOrg("team", http);
    }

    @PostMapping("/customers")
    public ResponseEntity<byte[]> createCustomer(HttpServletRequest http) {
        return createOrg("customer", http);
    }

    @GetMapping("/teams")
    public ResponseEntity<byte[]> listTeams() {
        return listOrgs("team");
    }

    @GetMapping("/customers")
    public ResponseEntity<byte[]> listCustomers() {
        return listOrgs("customer");
    }

    @GetMapping("/teams/{id}")
    public ResponseEntity<byte[]> getTeam(@PathVariable String id) {
        OrgRepository.Org team = org("team", id);
        guard.require(WardenPrincipals.require(), Permission.TEAMS_READ, team.name());
        return json(200, orgView(team));
    }

    @GetMapping("/customers/{id}")
    public ResponseEntity<byte[]> getCustomer(@PathVariable String id) {
        OrgRepository.Org customer = org("customer", id);
        guard.require(WardenPrincipals.require(), Permission.CUSTOMERS_READ, null);
        return json(200, orgView(customer));
    }

    @PatchMapping("/teams/{id}")
    public ResponseEntity<byte[]> updateTeam(@PathVariable String id, HttpServletRequest http) {
        return updateOrg("team", id, http);
    }

    @PatchMapping("/customers/{id}")
    public ResponseEntity<byte[]> updateCustomer(@PathVariable String id,
                                                 HttpServletRequest http) {
        return updateOrg("customer", id, http);
    }

    @DeleteMapping("/teams/{id}")
    public ResponseEntity<byte[]> deleteTeam(@PathVariable String id, HttpServletRequest http) {
        return deleteOrg("team", id, http);
    }

    @DeleteMapping("/customers/{id}")
    public ResponseEntity<byte[]> deleteCustomer(@PathVariable String id, HttpServletRequest http) {
        return deleteOrg("customer", id, http);
    }

    private ResponseEntity<byte[]> createOrg(String kind, HttpServletRequest http) {
        guard.require(WardenPrincipals.require(), write(kind), null);
        ObjectNode request = object(read(http));
        if ("team".equals(kind)) {
            known(request, "name", "customer", "budget", "budgets", "metadata");
        } else {
            known(request, "name", "budget", "budgets", "metadata");
        }
        String name = requiredString(request, "name", 200);
        if (orgs.findByName(kind, name).isPresent()) {
            throw new AdminException("name", "name: \"" + name + "\" is already used by a " + kind
                    + " (expected: a unique name)");
        }
        String customerId = "team".equals(kind) ? customerRef(request.get("customer")) : null;
        OrgRepository.Org org = orgs.insert(kind, KeyMaterial.newId("team".equals(kind) ? "team_" : "cust_"), name,
                customerId, budgets(request), metadata(request.get("metadata")), clock.instant());
        record(http, kind + ".create", org.id(), Map.of("name", name, "budgets", Policy.budgetsJson(org.budgets())));
        return json(201, orgView(org));
    }

    private ResponseEntity<byte[]> listOrgs(String kind) {
        TeamScope scope = guard.teamScope(WardenPrincipals.require(), read(kind));
        ObjectNode root = NODES.objectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        orgs.list(kind).stream().filter(org -> "customer".equals(kind) || visible(scope, org.id()))
                .forEach(org -> data.add(orgView(org)));
        return json(200, root);
    }

    private ResponseEntity<byte[]> updateOrg(String kind, String id, HttpServletRequest http) {
        OrgRepository.Org current = org(kind, id);
        guard.require(WardenPrincipals.require(), write(kind), null);
        ObjectNode request = object(read(http));
        known(request, "name", "customer", "budget", "budgets", "metadata");
        String name = request.has("name") ? requiredString(request, "name", 200) : current.name();
        if (!name.equals(current.name()) && orgs.findByName(kind, name).isPresent()) {
            throw new AdminException("name", "name: \"" + name + "\" is already used by a " + kind);
        }
        OrgRepository.Org updated = new OrgRepository.Org(kind, id, name,
                "team".equals(kind) && request.has("customer") ? customerRef(request.get("customer"))
                        : current.customerId(),
                request.has("budget") || request.has("budgets") ? budgets(request) : current.budgets(),
                request.has("metadata") ? metadata(request.get("metadata")) : current.metadata(),
                current.createdAt(), current.deletedAt(), current.version());
        if (!orgs.update(updated)) {
            throw new AdminException("id", kind + " " + id + " was changed concurrently; read it again and retry");
        }
        record(http, kind + ".update", id, Map.of("fields", String.join(",", fieldNames(request))));
        return json(200, orgView(org(kind, id)));
    }

    private ResponseEntity<byte[]> deleteOrg(String kind, String id, HttpServletRequest http) {
        org(kind, id);
        guard.require(WardenPrincipals.require(), write(kind), null);
        if (orgs.delete(kind, id, clock.instant())) {
            authenticator.invalidate();
            record(http, kind + ".delete", id, Map.of());
        }
        return json(200, orgView(org(kind, id)));
    }

    // ---------------------------------------------------------------- usage

    @GetMapping("/usage")
    public ResponseEntity<byte[]> usage(@RequestParam(name = "group_by", defaultValue = "key") String groupBy,
                                        @RequestParam(required = false) @Nullable String from,
                                        @RequestParam(required = false) @Nullable String to) {
        guard.require(WardenPrincipals.require(), Permission.USAGE_READ, null);
        return usageTable(groupBy, usageColumn(groupBy, true), from, to, false);
    }

    /**
     * Usage per day and per key, team or model: the series the console charts. One row per (day, group) that had
     * traffic, ordered by day then group; days without traffic are absent (the chart fills them with zero).
     */
    @GetMapping("/usage/series")
    public ResponseEntity<byte[]> usageSeries(@RequestParam(name = "group_by", defaultValue = "team") String groupBy,
                                              @RequestParam(required = false) @Nullable String from,
                                              @RequestParam(required = false) @Nullable String to) {
        guard.require(WardenPrincipals.require(), Permission.USAGE_READ, null);
        return usageTable(groupBy, usageColumn(groupBy, false), from, to, true);
    }

    private static String usageColumn(String groupBy, boolean dayAllowed) {
        return switch (groupBy) {
            case "key" -> "key_id";
            case "team" -> "team_id";
            case "model" -> "model";
            case "provider" -> "provider";
            case "day" -> {
                if (!dayAllowed) {
                    throw new AdminException("group_by", "group_by: \"day\" (expected: key, team, model or provider;"
                            + " the series is already per day)");
                }
                yield "usage_day";
            }
            default -> throw new AdminException("group_by", "group_by: \"" + groupBy
                    + "\" (expected: key, team, model, provider" + (dayAllowed ? " or day)" : ")"));
        };
    }

    private ResponseEntity<byte[]> usageTable(String groupBy, String column, @Nullable String from, @Nullable String to,
                                              boolean perDay) {
        LocalDate start = date("from", from, LocalDate.now(clock.withZone(zone)).withDayOfMonth(1));
        LocalDate end = date("to", to, LocalDate.now(clock.withZone(zone)));
        if (end.isBefore(start)) {
            throw new AdminException("to", "to: " + end + " is before from: " + start);
        }
        if (start.plusDays(MAX_USAGE_DAYS).isBefore(end)) {
            throw new AdminException("from", "from: " + start + " to: " + end + " spans more than " + MAX_USAGE_DAYS
                    + " days (expected: a shorter range)");
        }
        usage.flush();
        ObjectNode root = NODES.objectNode();
        root.put("object", "list");
        root.put("group_by", groupBy);
        root.put("from", start.toString());
        root.put("to", end.toString());
        ArrayNode data = root.putArray("data");
        String groups = perDay ? "usage_day, " + column : column;
        // The column name comes from usageColumn's fixed list, never from the caller.
        jdbc.sql("SELECT " + (perDay ? "usage_day AS series_day, " : "") + column + " AS grp, SUM(requests) AS requests, "
                        + "SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, "
                        + "SUM(cached_tokens) AS cached_tokens, SUM(reasoning_tokens) AS reasoning_tokens, "
                        + "SUM(cost_nanos) AS cost_nanos FROM usage_daily WHERE usage_day >= ? AND usage_day <= ? "
                        + "GROUP BY " + groups + " ORDER BY " + groups)
                .params(start, end)
                .query((rs, n) -> {
                    ObjectNode row = data.addObject();
                    if (perDay) {
                        row.put("day", rs.getDate("series_day").toLocalDate().toString());
                    }
                    row.put(groupBy, rs.getString("grp"));
                    row.put("requests", rs.getLong("requests"));
                    row.put("input_tokens", rs.getLong("input_tokens"));
                    row.put("output_tokens", rs.getLong("output_tokens"));
                    row.put("cached_tokens", rs.getLong("cached_tokens"));
                    row.put("reasoning_tokens", rs.getLong("reasoning_tokens"));
                    row.put("cost_usd", Money.usd(rs.getLong("cost_nanos")));
                    return row;
                }).list();
        return json(200, root);
    }

    // ---------------------------------------------------------------- who am I

    /** The signed-in principal and what it may do, so the console shows only the actions that will succeed. */
    @GetMapping("/me")
    public ResponseEntity<byte[]> me() {
        WardenPrincipal who = WardenPrincipals.require();
        ObjectNode view = NODES.objectNode();
        view.put("object", "principal");
        view.put("subject", who.subject());
        view.put("name", who.displayName());
        putNullable(view, "email", who.email());
        putNullable(view, "issuer", who.issuer());
        view.put("method", who.method().name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode roles = view.putArray("roles");
        who.grants().stream().map(g -> g.team() == null ? g.role().id() : g.role().id() + "@" + g.team()).sorted()
                .forEach(roles::add);
        ArrayNode permissions = view.putArray("permissions");
        java.util.Arrays.stream(Permission.values())
                .filter(p -> who.grants().stream().anyMatch(g -> PermissionMatrix.grantAllows(g, p, g.team())))
                .map(p -> p.name().toLowerCase(java.util.Locale.ROOT).replace('_', ':'))
                .forEach(permissions::add);
        return json(200, view);
    }

    // ---------------------------------------------------------------- views

    private ObjectNode keyView(VirtualKey key) {
        Instant now = clock.instant();
        ObjectNode view = NODES.objectNode();
        view.put("id", key.id());
        view.put("object", "virtual_key");
        view.put("name", key.name());
        view.put("hint", key.hint());
        putNullable(view, "owner", key.owner());
        putNullable(view, "team", key.teamId());
        putNullable(view, "customer", key.customerId());
        view.set("models", JSON.valueToTree(key.models()));
        view.set("providers", JSON.valueToTree(key.providers()));
        view.set("budgets", budgetViews(Policy.scopeOfKey(key.id()), key.budgets(), now));
        view.set("rate_limit", JSON.readTree(Policy.rateLimitJson(key.rateLimit())));
        view.set("metadata", JSON.valueToTree(key.metadata()));
        putNullable(view, "expires_at", key.expiresAt() == null ? null : key.expiresAt().toString());
        putNullable(view, "revoked_at", key.revokedAt() == null ? null : key.revokedAt().toString());
        view.put("active", key.activeAt(now));
        long spent;
        if (key.budgets().isEmpty()) {
            usage.flush();
            spent = jdbc.sql("SELECT COALESCE(SUM(cost_nanos), 0) FROM usage_daily WHERE key_id = ?").param(key.id())
                    .query(Long.class).single();
        } else {
            Policy.Budget first = key.budgets().get(0);
            spent = counters.spent(Policy.scopeOfKey(key.id()), first.period(), first.period().windowStart(now, zone));
        }
        view.put("spent_usd", Money.usd(spent));
        return view;
    }

    private ArrayNode budgetViews(String scope, List<Policy.Budget> budgets, Instant now) {
        ArrayNode array = NODES.arrayNode();
        for (Policy.Budget budget : budgets) {
            long spent = counters.spent(scope, budget.period(), budget.period().windowStart(now, zone));
            ObjectNode node = array.addObject();
            node.put("period", budget.period().label());
            node.put("limit_usd", Money.usd(budget.limitNanos()));
            node.put("spent_usd", Money.usd(spent));
            node.put("remaining_usd", Money.usd(Math.max(0, budget.limitNanos() - spent)));
            if (budget.period() != BudgetPeriod.TOTAL) {
                node.put("resets_at", budget.period().resetsAt(now, zone).toString());
            }
        }
        return array;
    }

    private ObjectNode orgView(OrgRepository.Org org) {
        ObjectNode view = NODES.objectNode();
        view.put("id", org.id());
        view.put("object", org.kind());
        view.put("name", org.name());
        if ("team".equals(org.kind())) {
            putNullable(view, "customer", org.customerId());
        }
        String scope = "team".equals(org.kind()) ? Policy.scopeOfTeam(org.id()) : Policy.scopeOfCustomer(org.id());
        view.set("budgets", budgetViews(scope, org.budgets(), clock.instant()));
        view.set("metadata", JSON.valueToTree(org.metadata()));
        view.put("created_at", org.createdAt().toString());
        putNullable(view, "deleted_at", org.deletedAt() == null ? null : org.deletedAt().toString());
        return view;
    }

    // ---------------------------------------------------------------- input

    private VirtualKey key(String id) {
        if (!id.matches("key_[0-9a-f]{24}")) {
            throw new AdminException("id", "id: \"" + abbreviate(id) + "\" (expected: key_ and 24 hex digits)");
        }
        return keys.findById(id).orElseThrow(() -> new AdminException(404, "id", "no key with id " + id));
    }

    private OrgRepository.Org org(String kind, String id) {
        String prefix = "team".equals(kind) ? "team_" : "cust_";
        if (!id.matches(prefix + "[0-9a-f]{24}")) {
            throw new AdminException("id", "id: \"" + abbreviate(id) + "\" (expected: " + prefix + " and 24 hex digits)");
        }
        return orgs.find(kind, id).orElseThrow(() -> new AdminException(404, "id", "no " + kind + " with id " + id));
    }

    private @Nullable String teamRef(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new AdminException("team", "team: expected a team id or name");
        }
        String ref = node.asString();
        OrgRepository.Org team = (ref.startsWith("team_") ? orgs.find("team", ref) : orgs.findByName("team", ref))
                .orElseThrow(() -> new AdminException("team", "team: \"" + abbreviate(ref) + "\" does not exist"));
        if (!team.active()) {
            throw new AdminException("team", "team: \"" + team.name() + "\" has been deleted");
        }
        return team.id();
    }

    private @Nullable String customerRef(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new AdminException("customer", "customer: expected a customer id or name");
        }
        String ref = node.asString();
        OrgRepository.Org customer = (ref.startsWith("cust_") ? orgs.find("customer", ref)
                : orgs.findByName("customer", ref)).orElseThrow(() -> new AdminException("customer",
                "customer: \"" + abbreviate(ref) + "\" does not exist"));
        return customer.id();
    }

    private List<String> models(@Nullable JsonNode node) {
        List<String> models = strings("models", node, 500);
        for (int i = 0; i < models.size(); i++) {
            String model = models.get(i);
            boolean known = model.endsWith("*")
                    ? routes.modelNames().stream().anyMatch(m -> m.startsWith(model.substring(0, model.length() - 1)))
                    || routes.resolve(model.substring(0, model.length() - 1) + "x").isPresent()
                    : routes.resolve(model).isPresent();
            if (!known) {
                throw new AdminException("models[" + i + "]", "models[" + i + "]: \"" + abbreviate(model)
                        + "\" is not served by this gateway (expected one of " + routes.modelNames() + ")");
            }
        }
        return models;
    }

    private List<String> providers(@Nullable JsonNode node) {
        List<String> providers = strings("providers", node, 100);
        for (int i = 0; i < providers.size(); i++) {
            if (!routes.endpoints().containsKey(providers.get(i))) {
                throw new AdminException("providers[" + i + "]", "providers[" + i + "]: \""
                        + abbreviate(providers.get(i)) + "\" (expected one of " + routes.endpoints().keySet() + ")");
            }
        }
        return providers;
    }

    private static List<Policy.Budget> budgets(ObjectNode request) {
        try {
            if (request.has("budget") && request.has("budgets")) {
                throw new AdminException("budgets", "budget and budgets: give one or the other");
            }
            if (request.has("budget")) {
                JsonNode budget = request.get("budget");
                return budget == null || budget.isNull() ? List.of() : List.of(Policy.parseBudget("budget", budget));
            }
            return Policy.parseBudgets("budgets", request.get("budgets"));
        } catch (IllegalArgumentException e) {
            throw new AdminException(e.getMessage().substring(0, Math.max(0, e.getMessage().indexOf(':'))),
                    e.getMessage());
        }
    }

    private static Policy.RateLimit rateLimit(@Nullable JsonNode node) {
        try {
            return Policy.parseRateLimit("rate_limit", node);
        } catch (IllegalArgumentException e) {
            throw new AdminException("rate_limit", e.getMessage());
        }
    }

    private @Nullable Instant expiry(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            Instant at = Instant.parse(node.asString());
            if (!at.isAfter(clock.instant())) {
                throw new AdminException("expires_at", "expires_at: " + at + " is in the past");
            }
            return at;
        } catch (DateTimeParseException e) {
            throw new AdminException("expires_at", "expires_at: expected an RFC 3339 time such as 2027-01-31T00:00:00Z");
        }
    }

    private static Map<String, String> metadata(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject() || node.size() > 50) {
            throw new AdminException("metadata", "metadata: expected an object of at most 50 string values");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isString() || entry.getKey().length() > 100 || entry.getValue().asString().length() > 1000) {
                throw new AdminException("metadata." + entry.getKey(), "metadata." + abbreviate(entry.getKey())
                        + ": expected a string of at most 1000 characters");
            }
            metadata.put(entry.getKey(), entry.getValue().asString());
        }
        return metadata;
    }

    private static List<String> strings(String field, @Nullable JsonNode node, int max) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > max) {
            throw new AdminException(field, field + ": expected an array of at most " + max + " strings");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isString() || item.asString().isBlank() || item.asString().length() > 256) {
                throw new AdminException(field + "[" + i + "]", field + "[" + i + "]: expected a non-empty string");
            }
            if (!values.contains(item.asString())) {
                values.add(item.asString());
            }
        }
        return values;
    }

    /**
     * Reads the raw body: {@code @RequestBody} would rebuild a form-encoded body from parameters when a client
     * (curl -d) sends JSON without a JSON content type.
     */
    private static byte[] read(HttpServletRequest http) {
        try (var in = http.getInputStream()) {
            byte[] body = in.readNBytes(1024 * 1024 + 1);
            if (body.length > 1024 * 1024) {
                throw new AdminException(null, "request body larger than 1 MiB");
            }
            return body;
        } catch (java.io.IOException e) {
            throw new AdminException(null, "could not read the request body");
        }
    }

    private static ObjectNode object(byte @Nullable [] body) {
        if (body == null || body.length == 0) {
            throw new AdminException(null, "request body is empty (expected: a JSON object)");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new AdminException(null, "request body is not a JSON object");
            }
            return (ObjectNode) node;
        } catch (JacksonException e) {
            throw new AdminException(null, "request body is not valid JSON");
        }
    }

    private static void known(ObjectNode request, String... fields) {
        List<String> allowed = List.of(fields);
        for (String name : request.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new AdminException(name, abbreviate(name) + ": unknown field (expected one of " + allowed + ")");
            }
        }
    }

    private static String requiredString(ObjectNode request, String field, int max) {
        JsonNode node = request.get(field);
        if (node == null || !node.isString() || node.asString().isBlank() || node.asString().length() > max) {
            throw new AdminException(field, field + ": expected a non-empty string of at most " + max + " characters");
        }
        // Names and owners end up in logs, CSV and PDF reports and the ledger: no control characters (a newline
        // would forge a log line, a NUL cut a report cell).
        if (hasControlCharacter(node.asString())) {
            throw new AdminException(field, field + ": contains a control character (expected: printable text)");
        }
        return node.asString().strip();
    }

    /** Whether text holds a control character (newline, NUL, escape...): never in names that logs and reports show. */
    static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL);
    }

    private static @Nullable String optionalString(ObjectNode request, String field, int max) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return requiredString(request, field, max);
    }

    private static LocalDate date(String field, @Nullable String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new AdminException(field, field + ": \"" + abbreviate(value) + "\" (expected: YYYY-MM-DD)");
        }
    }

    private static List<String> fieldNames(ObjectNode request) {
        return new ArrayList<>(request.propertyNames());
    }

    private void record(HttpServletRequest http, String action, String target, Map<String, String> details) {
        WardenPrincipal who = WardenPrincipals.require();
        audit.changed(who.subject(), http.getRemoteAddr(), action, target, details);
    }

    private @Nullable String teamName(@Nullable String teamId) {
        return teamId == null ? null : orgs.team(teamId).map(OrgRepository.Org::name).orElse(teamId);
    }

    private boolean visible(TeamScope scope, @Nullable String teamId) {
        return switch (scope) {
            case TeamScope.AllTeams all -> true;
            case TeamScope.Teams teams -> teamId != null && teams.teams().contains(teamName(teamId));
            case TeamScope.None none -> false;
        };
    }

    private static Permission write(String kind) {
        return "team".equals(kind) ? Permission.TEAMS_WRITE : Permission.CUSTOMERS_WRITE;
    }

    private static Permission read(String kind) {
        return "team".equals(kind) ? Permission.TEAMS_READ : Permission.CUSTOMERS_READ;
    }

    private static RoleGrant.KeyScope scope(List<String> models, List<String> providers, List<Policy.Budget> budgets) {
        java.math.BigDecimal budget = budgets.stream().map(b -> Money.usd(b.limitNanos())).max(java.math.BigDecimal::compareTo)
                .orElse(null);
        return new RoleGrant.KeyScope(java.util.Set.copyOf(models), java.util.Set.copyOf(providers), budget);
    }

    /** {@code field: value}, or {@code field: null}: admin views always carry their members. */
    static void putNullable(ObjectNode node, String field, @Nullable String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    private static String abbreviate(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "…" : printable;
    }

    static ResponseEntity<byte[]> json(int status, JsonNode body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsBytes(body));
    }
}
