package dev.warden.gateway.governance;

import dev.warden.gateway.store.RefreshingCache;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Teams and customers, with a short-lived cache for the request path (invalidated by admin changes). */
@Repository
public class OrgRepository {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CACHE_TIME = Duration.ofSeconds(1);
    /** How long a stale lookup may still serve while it is being refreshed (see {@link RefreshingCache}). */
    private static final Duration MAX_STALE = Duration.ofSeconds(5);

    /** A team or a customer: both carry budgets; a team may belong to a customer. */
    public record Org(String kind, String id, String name, @Nullable String customerId, List<Policy.Budget> budgets,
                      Map<String, String> metadata, Instant createdAt, @Nullable Instant deletedAt, long version) {
        public boolean active() {
            return deletedAt == null;
        }
    }

    private record Key(String kind, String id) {
    }

    private final JdbcClient jdbc;
    private final RefreshingCache<Key, Optional<Org>> cache;

    public OrgRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.cache = new RefreshingCache<>("team or customer", key -> find(key.kind(), key.id()), CACHE_TIME,
                MAX_STALE, 100_000);
    }

    public Optional<Org> team(String id) {
        return cached("team", id);
    }

    public Optional<Org> customer(String id) {
        return cached("customer", id);
    }

    private Optional<Org> cached(String kind, String id) {
        return cache.get(new Key(kind, id));
    }

    public void invalidate() {
        cache.invalidate();
    }

    public Optional<Org> find(String kind, String id) {
        return jdbc.sql(select(kind) + " WHERE id = ?").param(id).query((rs, n) -> map(kind, rs)).optional();
    }

    public Optional<Org> findByName(String kind, String name) {
        return jdbc.sql(select(kind) + " WHERE name = ?").param(name).query((rs, n) -> map(kind, rs)).optional();
    }

    public List<Org> list(String kind) {
        return jdbc.sql(select(kind) + " ORDER BY created_at, id").query((rs, n) -> map(kind, rs)).list();
    }

    public Org insert(String kind, String id, String name, @Nullable String customerId, List<Policy.Budget> budgets,
                      Map<String, String> metadata, Instant now) {
        if ("team".equals(kind)) {
            jdbc.sql("INSERT INTO teams (id, name, customer_id, budgets, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(id, name, customerId, Policy.budgetsJson(budgets), JSON.writeValueAsString(metadata),
                            at(now)).update();
        } else {
            jdbc.sql("INSERT INTO customers (id, name, budgets, metadata, created_at) VALUES (?, ?, ?, ?, ?)")
                    .params(id, name, Policy.budgetsJson(budgets), JSON.writeValueAsString(metadata), at(now)).update();
        }
        invalidate();
        return find(kind, id).orElseThrow();
    }

    public boolean update(Org org) {
        int updated = "team".equals(org.kind())
                ? jdbc.sql("UPDATE teams SET name = ?, customer_id = ?, budgets = ?, metadata = ?, version = version + 1 "
                        + "WHERE id = ? AND version = ?").params(org.name(), org.customerId(),
                        Policy.budgetsJson(org.budgets()), JSON.writeValueAsString(org.metadata()), org.id(),
                        org.version()).update()
                : jdbc.sql("UPDATE customers SET name = ?, budgets = ?, metadata = ?, version = version + 1 "
                        + "WHERE id = ? AND version = ?").params(org.name(), Policy.budgetsJson(org.budgets()),
                        JSON.writeValueAsString(org.metadata()), org.id(), org.version()).update();
        invalidate();
        return updated == 1;
    }

    public boolean delete(String kind, String id, Instant now) {
        int updated = jdbc.sql("UPDATE " + table(kind) + " SET deleted_at = ?, version = version + 1 WHERE id = ? "
                + "AND deleted_at IS NULL").params(at(now), id).update();
        invalidate();
        return updated == 1;
    }

    private static String select(String kind) {
        return "team".equals(kind)
                ? "SELECT id, name, customer_id, budgets, metadata, created_at, deleted_at, version FROM teams"
                : "SELECT id, name, NULL AS customer_id, budgets, metadata, created_at, deleted_at, version FROM customers";
    }

    private static String table(String kind) {
        return "team".equals(kind) ? "teams" : "customers";
    }

    private static Org map(String kind, ResultSet rs) throws SQLException {
        OffsetDateTime deleted = rs.getObject("deleted_at", OffsetDateTime.class);
        return new Org(kind, rs.getString("id"), rs.getString("name"), rs.getString("customer_id"),
                Policy.readBudgets(rs.getString("budgets")),
                JSON.readValue(rs.getString("metadata"), new TypeReference<Map<String, String>>() { }),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                deleted == null ? null : deleted.toInstant(), rs.getLong("version"));
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
