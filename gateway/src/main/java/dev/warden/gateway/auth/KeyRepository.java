package dev.warden.gateway.auth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.warden.gateway.governance.Policy;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Virtual keys in the store (H2 by default, PostgreSQL in production; the same SQL runs on both). */
@Repository
public class KeyRepository {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SELECT = """
            SELECT k.id, k.name, k.key_hint, k.owner, k.team_id, t.customer_id, k.models, k.providers, k.metadata,
                   k.expires_at, k.revoked_at, k.budgets, k.rate_limit, k.version
              FROM virtual_keys k LEFT JOIN teams t ON t.id = k.team_id
            """;

    private final JdbcClient jdbc;

    public KeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<VirtualKey> findByHash(String keyHash) {
        return jdbc.sql(SELECT + " WHERE k.key_hash = ?").param(keyHash).query(KeyRepository::map).optional();
    }

    public Optional<VirtualKey> findById(String id) {
        return jdbc.sql(SELECT + " WHERE k.id = ?").param(id).query(KeyRepository::map).optional();
    }

    public List<VirtualKey> findAll() {
        return jdbc.sql(SELECT + " ORDER BY k.created_at, k.id").query(KeyRepository::map).list();
    }

    public List<VirtualKey> findActiveByName(String name) {
        return jdbc.sql(SELECT + " WHERE k.name = ? AND k.revoked_at IS NULL").param(name)
                .query(KeyRepository::map).list();
    }

    /** Stores a new key by its hash; returns the stored record. */
    public VirtualKey insert(String id, String name, String keyHash, String hint, @Nullable String owner,
                             @Nullable String teamId, List<String> models, List<String> providers,
                             Map<String, String> metadata, @Nullable Instant expiresAt, Instant now) {
        return insert(id, name, keyHash, hint, owner, teamId, models, providers, metadata, expiresAt, List.of(),
                Policy.RateLimit.NONE, now);
    }

    /** Stores a new key with its budgets and rate limits. */
    public VirtualKey insert(String id, String name, String keyHash, String hint, @Nullable String owner,
                             @Nullable String teamId, List<String> models, List<String> providers,
                             Map<String, String> metadata, @Nullable Instant expiresAt, List<Policy.Budget> budgets,
                             Policy.RateLimit rateLimit, Instant now) {
        jdbc.sql("""
                INSERT INTO virtual_keys (id, name, key_hash, key_hint, owner, team_id, models, providers, metadata,
                                          expires_at, created_at, budgets, rate_limit)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .params(id, name, keyHash, hint, owner, teamId, JSON.writeValueAsString(models),
                        JSON.writeValueAsString(providers), JSON.writeValueAsString(metadata), timestamp(expiresAt),
                        timestamp(now), Policy.budgetsJson(budgets), Policy.rateLimitJson(rateLimit))
                .update();
        return findById(id).orElseThrow();
    }

    /** Replaces a key's policy (allow-lists, budgets, limits, expiry, metadata); its secret and id stay. */
    public boolean update(VirtualKey key) {
        return jdbc.sql("""
                UPDATE virtual_keys SET name = ?, owner = ?, team_id = ?, models = ?, providers = ?, metadata = ?,
                       expires_at = ?, budgets = ?, rate_limit = ?, version = version + 1
                 WHERE id = ? AND version = ?
                """)
                .params(key.name(), key.owner(), key.teamId(), JSON.writeValueAsString(key.models()),
                        JSON.writeValueAsString(key.providers()), JSON.writeValueAsString(key.metadata()),
                        timestamp(key.expiresAt()), Policy.budgetsJson(key.budgets()),
                        Policy.rateLimitJson(key.rateLimit()), key.id(), key.version())
                .update() == 1;
    }

    /** Revokes a key; returns false if it does not exist or was already revoked. */
    public boolean revoke(String id, Instant now) {
        return jdbc.sql("UPDATE virtual_keys SET revoked_at = ?, version = version + 1 WHERE id = ? AND revoked_at IS NULL")
                .params(timestamp(now), id).update() == 1;
    }

    private static VirtualKey map(ResultSet rs, int row) throws SQLException {
        return new VirtualKey(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("key_hint"),
                rs.getString("owner"),
                rs.getString("team_id"),
                rs.getString("customer_id"),
                JSON.readValue(rs.getString("models"), new TypeReference<List<String>>() { }),
                JSON.readValue(rs.getString("providers"), new TypeReference<List<String>>() { }),
                JSON.readValue(rs.getString("metadata"), new TypeReference<Map<String, String>>() { }),
                instant(rs, "expires_at"),
                instant(rs, "revoked_at"),
                Policy.readBudgets(rs.getString("budgets")),
                Policy.readRateLimit(rs.getString("rate_limit")),
                rs.getLong("version"));
    }

    static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
