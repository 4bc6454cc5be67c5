package dev.warden.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every {@code warden.*} option, typed and validated at start. The README's {@code warden.yaml} reference lists
 * them all; an unknown key under {@code warden} is an error, so a typo never silently falls back to a default.
 * Bound and validated by {@link WardenConfiguration}.
 */
public record WardenProperties(
        @DefaultValue("false") boolean demo,
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Limits limits,
        @DefaultValue Routing routing,
        @DefaultValue Upstream upstream,
        @DefaultValue Admin admin,
        @DefaultValue Store store,
        @DefaultValue Governance governance,
        @DefaultValue Secrets secrets,
        @DefaultValue Ledger ledger,
        @DefaultValue Guardrails guardrails,
        @DefaultValue Listener listener,
        @Nullable List<Provider> providers,
        @Nullable List<Model> models) {

    public WardenProperties {
        providers = providers == null ? List.of() : List.copyOf(providers);
        models = models == null ? List.of() : List.copyOf(models);
    }

    /**
     * Limits on what a caller may send and how long the gateway waits. {@code inflightBodyLimit} bounds the request
     * bodies held in memory at once (unset: a tenth of the maximum heap, at least room for one largest body); a
     * request that finds no room waits up to {@code inflightBodyWait}, then gets 503 with {@code Retry-After}.
     */
    public record Limits(
            @DefaultValue("10MB") DataSize maxBodySize,
            @DefaultValue("300s") Duration requestTimeout,
            @DefaultValue("120s") Duration streamIdleTimeout,
            @DefaultValue("10s") Duration connectTimeout,
            @Nullable DataSize inflightBodyLimit,
            @DefaultValue("10s") Duration inflightBodyWait) {

        public Limits {
            // Checked here rather than by annotations: the binder reports a constructor's exception with the key.
            if (maxBodySize.toBytes() < 1024 || maxBodySize.toBytes() > 100L * 1024 * 1024) {
                throw new IllegalArgumentException("max-body-size must be between 1KB and 100MB, got " + maxBodySize);
            }
            if (!requestTimeout.isPositive() || !streamIdleTimeout.isPositive() || !connectTimeout.isPositive()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (inflightBodyLimit != null && inflightBodyLimit.toBytes() <= maxBodySize.toBytes()) {
                throw new IllegalArgumentException("inflight-body-limit must be larger than max-body-size ("
                        + maxBodySize + "), got " + inflightBodyLimit);
            }
            if (inflightBodyWait.isNegative()) {
                throw new IllegalArgumentException("inflight-body-wait must not be negative, got " + inflightBodyWait);
            }
        }
    }

    /**
     * The API listener: a second port serving only the LLM API on blocking sockets, with less CPU per request than
     * the main port (ADR 0007). Off unless {@code port} is set. Plain HTTP; terminate TLS in front.
     *
     * @param platformThreads how many connections get a platform thread; the rest (by default all) a virtual one.
     *     Platform threads cost fewer CPU cycles per plain request, but at the rates where that matters the hundreds
     *     of them doubled the collector's pauses and slowed streams (ADR 0007)
     * @param idleTimeout how long a kept-alive connection may wait for its next request
     * @param readTimeout how long reading a request head, or one read of a body, may take
     * @param writeTimeout how long one write to a client that does not read may block before the connection closes
     * @param shutdownTimeout how long a stop waits for requests in progress (streams included) to finish
     */
    public record Listener(@Nullable Integer port, @DefaultValue("0.0.0.0") String address,
                           @DefaultValue("10000") int maxConnections, @DefaultValue("0") int platformThreads,
                           @DefaultValue("60s") Duration idleTimeout, @DefaultValue("20s") Duration readTimeout,
                           @DefaultValue("60s") Duration writeTimeout, @DefaultValue("30s") Duration shutdownTimeout) {
        public Listener {
            require(port == null || port >= 0 && port <= 65535, "port", String.valueOf(port), "0..65535");
            require(address != null && !address.isBlank(), "address", address, "an IP address or host name");
            require(maxConnections >= 1 && maxConnections <= 1_000_000, "max-connections",
                    Integer.toString(maxConnections), "1..1000000");
            require(platformThreads >= 0 && platformThreads <= 100_000, "platform-threads",
                    Integer.toString(platformThreads), "0..100000");
            for (var timeout : List.of(idleTimeout, readTimeout, writeTimeout, shutdownTimeout)) {
                require(timeout.isPositive(), "timeouts", timeout.toString(), "positive durations");
            }
        }
    }

    /** How targets are chosen and how failing provider keys are rested. */
    public record Routing(
            @DefaultValue("60s") Duration authFailureCooldown,
            @DefaultValue("30s") Duration maxRetryAfter,
            @DefaultValue("5s") Duration defaultRateLimitCooldown) {
    }

    /**
     * How the gateway talks to providers.
     *
     * @param client {@code builtin} (HTTP/1.1 on the request's own thread, pooled keep-alive connections) or
     *     {@code jdk} (java.net.http.HttpClient); the built-in one costs less CPU per request
     * @param idleTimeout how long an idle upstream connection is kept for reuse; keep it below the providers' own
     *     keep-alive timeout (uvicorn, behind vLLM, closes after 5 s)
     * @param maxIdlePerOrigin idle connections kept per scheme, host and port
     */
    public record Upstream(@DefaultValue("builtin") String client, @DefaultValue("4s") Duration idleTimeout,
                           @DefaultValue("256") int maxIdlePerOrigin) {
        public Upstream {
            require(List.of("builtin", "jdk").contains(client), "client", client,
                    "builtin (HTTP/1.1 on the request thread) or jdk (java.net.http.HttpClient)");
            require(idleTimeout.isPositive(), "idle-timeout", idleTimeout.toString(), "a positive duration");
            require(maxIdlePerOrigin >= 0 && maxIdlePerOrigin <= 10_000, "max-idle-per-origin",
                    Integer.toString(maxIdlePerOrigin), "0..10000");
        }
    }

    /**
     * The bootstrap admin token (break-glass). A secret reference ({@code env://NAME}, {@code file:///path}) or, for
     * demos only, the literal value. In demo mode a token is generated when none is set.
     */
    public record Admin(@Nullable String token) {
    }

    /**
     * Where keys, teams, budgets and usage live. Without a URL: an embedded H2 database under the data dir. For
     * several replicas: a PostgreSQL URL ({@code jdbc:postgresql://host:5432/warden}); the password may be a secret
     * reference.
     */
    public record Store(@Nullable String url, @Nullable String username, @Nullable String password,
                       @DefaultValue("20") int maxPoolSize) {
        public Store {
            require(maxPoolSize >= 1 && maxPoolSize <= 500, "max-pool-size", Integer.toString(maxPoolSize), "1..500");
        }
    }

    /**
     * Budgets, limits and prices. {@code counters}: {@code memory} keeps spend and rate counters in this process
     * (one replica; flushed to the store every second), {@code store} keeps them in the database with conditional
     * updates (exact across replicas sharing PostgreSQL); {@code auto} picks memory for the embedded store and
     * store for PostgreSQL.
     */
    public record Governance(
            @DefaultValue("UTC") java.time.ZoneId timeZone,
            @DefaultValue("auto") String counters,
            @DefaultValue("4096") int defaultMaxOutputTokens,
            @Nullable List<Price> prices,
            @Nullable Price unknownModelPrice) {

        public Governance {
            require(List.of("auto", "memory", "store").contains(counters), "counters", counters,
                    "auto, memory or store");
            require(defaultMaxOutputTokens >= 1 && defaultMaxOutputTokens <= 1_000_000, "default-max-output-tokens",
                    Integer.toString(defaultMaxOutputTokens), "1..1000000");
            prices = prices == null ? List.of() : List.copyOf(prices);
        }
    }

    /** US dollars per million tokens for a model (and every model whose name starts with it). */
    public record Price(String model, java.math.BigDecimal input, java.math.@Nullable BigDecimal cachedInput,
                        java.math.BigDecimal output) {
        public Price {
            require(model != null && !model.isBlank(), "model", model, "a model name or prefix");
            require(input != null && input.signum() >= 0, "input", String.valueOf(input), "dollars per 1M tokens >= 0");
            require(output != null && output.signum() >= 0, "output", String.valueOf(output),
                    "dollars per 1M tokens >= 0");
            require(cachedInput == null || cachedInput.signum() >= 0, "cached-input", String.valueOf(cachedInput),
                    "dollars per 1M tokens >= 0");
        }
    }

    /**
     * Guardrails before the prompt leaves and on the answer. {@code policies} name ordered steps; a key uses the policy
     * named by its metadata {@code guardrail_policy}, else {@code default-policy}. Without configuration the
     * {@code default} policy redacts PII in prompts (local engine, no network); {@code none} turns guardrails off.
     */
    public record Guardrails(@DefaultValue GuardPii pii, @Nullable GuardBedrock bedrock,
                             @Nullable GuardAzure azureContentSafety, @Nullable GuardPatronus patronus,
                             @Nullable Map<String, List<GuardStep>> policies,
                             @DefaultValue("default") String defaultPolicy) {
        public Guardrails {
            policies = policies == null ? Map.of() : Map.copyOf(policies);
        }
    }

    /** The local PII engine: typed placeholders, reversible tokens, or keyed hashes. */
    public record GuardPii(@DefaultValue("placeholder") String mode, @Nullable String hashKey,
                           @Nullable List<String> blockOn, @DefaultValue("0.5") double minScore) {
        public GuardPii {
            require(List.of("placeholder", "token", "hash").contains(mode), "mode", mode, "placeholder, token or hash");
            require(!"hash".equals(mode) || hashKey != null, "hash-key", null, "a secret reference for mode hash");
            require(minScore >= 0 && minScore <= 1, "min-score", Double.toString(minScore), "0..1");
            blockOn = blockOn == null ? List.of() : List.copyOf(blockOn);
        }
    }

    /** One step of a guardrail policy. */
    public record GuardStep(String guardrail, @Nullable List<String> directions, @DefaultValue("redact") String mode,
                            @DefaultValue("2s") Duration timeout, @DefaultValue("fail-closed") String onFailure) {
        public GuardStep {
            require(guardrail != null && !guardrail.isBlank(), "guardrail", guardrail,
                    "pii, bedrock, azure-content-safety or patronus");
            require(List.of("enforce", "redact", "monitor").contains(mode.toLowerCase()), "mode", mode,
                    "enforce, redact or monitor");
            require(List.of("fail-closed", "fail-open").contains(onFailure.toLowerCase().replace('_', '-')),
                    "on-failure", onFailure, "fail-closed or fail-open");
            directions = directions == null ? List.of("input", "output") : List.copyOf(directions);
            for (String direction : directions) {
                require(List.of("input", "output").contains(direction.toLowerCase()), "directions", direction,
                        "input and/or output");
            }
        }
    }

    /** AWS Bedrock Guardrails (ApplyGuardrail), credentials from the default AWS chain. */
    public record GuardBedrock(String guardrailId, String guardrailVersion, String region,
                               @Nullable URI endpointOverride, @DefaultValue("1s") Duration timeout) {
    }

    /** Azure AI Content Safety; {@code credential} is a secret reference to the key (or token). */
    public record GuardAzure(URI endpoint, @DefaultValue("2024-09-01") String apiVersion,
                             @DefaultValue("subscription-key") String auth, String credential,
                             @Nullable List<String> categories, @DefaultValue("4") int severityThreshold,
                             @DefaultValue("true") boolean shieldPrompt, @DefaultValue("1s") Duration timeout) {
    }

    /** Patronus AI evaluators; {@code api-key} is a secret reference. */
    public record GuardPatronus(@Nullable URI endpoint, String apiKey, @DefaultValue("all-pass") String strategy,
                                List<GuardPatronusEvaluator> evaluators, @DefaultValue("3s") Duration timeout) {
    }

    public record GuardPatronusEvaluator(String evaluator, @Nullable String criteria) {
    }

    /**
     * The audit ledger: hash-chained entries in segment files under {@code dir} (default {@code <data-dir>/ledger}),
     * fsync'd in group commits before a request leaves for a provider, with Ed25519-signed checkpoints. Each replica
     * writes its own chain ({@code chain-id}, default the host name); with {@code kafka.bootstrap-servers} every
     * batch is also replicated to a topic before it is acknowledged. Keys are secret references: the signing key is
     * PKCS#8 (base64 or PEM), the digest key 32+ random bytes in base64; without them, keys are generated once and
     * kept under {@code <dir>/keys/} (fine for a demo, not for production). Outcome entries (responses,
     * rejections) are not waited for: they share the fsync of the next request entry, or are fsync'd after
     * {@code lazy-sync-delay} at the latest. {@code journal} (on by default) makes each group commit an fdatasync of
     * a fixed-size write-ahead journal instead of the growing segment (ADR 0003 of the ledger: a cheaper fsync,
     * the segment written back in the background). {@code commit-delay} is how long the writer may wait for more
     * appends when a batch shrinks: 0 here, since a gateway's appends come from independent requests and the wait
     * only added to theirs. The background verification ({@code verify-interval}) runs at the lowest CPU priority and
     * keeps to {@code verify-cpu-share} of one core, so that reading a large ledger never takes the CPU the requests
     * need; it reads only what is new since the last run, and the whole ledger once {@code verify-full-interval} has
     * passed since the last full run.
     */
    public record Ledger(@Nullable Path dir, @Nullable String chainId, @DefaultValue("fsync") String durability,
                         @Nullable String signingKey, @DefaultValue("k1") String signingKeyId,
                         @Nullable String digestKey, @DefaultValue("1s") Duration checkpointInterval,
                         @DefaultValue("5000") int checkpointEvery, @Nullable LedgerKafka kafka,
                         @DefaultValue("1h") Duration verifyInterval, @DefaultValue LedgerBodies bodies,
                         @DefaultValue("5ms") Duration lazySyncDelay, @DefaultValue("true") boolean journal,
                         @DefaultValue("0ms") Duration commitDelay,
                         @DefaultValue("0.25") double verifyCpuShare,
                         @DefaultValue("24h") Duration verifyFullInterval) {
        public Ledger {
            require(!verifyFullInterval.isNegative(), "verify-full-interval", verifyFullInterval.toString(),
                    "a duration such as 24h (scheduled runs in between read only what is new), or 0 to read the"
                            + " whole ledger every run");
            require(verifyCpuShare > 0 && verifyCpuShare <= 1, "verify-cpu-share", Double.toString(verifyCpuShare),
                    "(0, 1]: the share of one core the background verification may take (1: as fast as it can)");
            require(!lazySyncDelay.isNegative() && lazySyncDelay.compareTo(Duration.ofSeconds(1)) <= 0,
                    "lazy-sync-delay", lazySyncDelay.toString(), "0..1s (0: every outcome entry is fsync'd at once)");
            require(!commitDelay.isNegative() && commitDelay.compareTo(Duration.ofMillis(100)) <= 0, "commit-delay",
                    commitDelay.toString(), "0..100ms (0: a batch is written as soon as the writer takes it)");
            require(!verifyInterval.isNegative(), "verify-interval", verifyInterval.toString(),
                    "a positive duration, or 0 to verify only on demand");
            require(List.of("fsync", "relaxed").contains(durability), "durability", durability,
                    "fsync (acknowledge after the disk has it) or relaxed (after write, before fsync)");
            require(chainId == null || chainId.matches("[A-Za-z0-9._-]{1,64}"), "chain-id", chainId,
                    "1-64 letters, digits, '.', '_' or '-'");
        }
    }

    /**
     * Request and response bodies kept in the ledger, sealed (AES-256-GCM) under a key per data subject and day, so
     * that erasure of a subject and expiry after {@code retention} delete keys, not entries (crypto-shredding: the
     * chain still verifies). Off by default: the ledger then holds keyed digests of bodies only.
     *
     * @param capture {@code none} (digests only) or {@code sealed}
     * @param retention how long sealed bodies stay readable, in whole days; 0 keeps them until erased. Applied to
     *     bodies sealed earlier even when capture is now {@code none}
     * @param maxBytes a body larger than this is recorded by digest only, with {@code body_truncated} noted
     */
    public record LedgerBodies(@DefaultValue("none") String capture, @DefaultValue("30d") Duration retention,
                               @DefaultValue("1MB") DataSize maxBytes) {
        public LedgerBodies {
            require(List.of("none", "sealed").contains(capture), "capture", capture,
                    "none (digests only) or sealed (bodies encrypted per data subject)");
            require(retention.isZero() || retention.toDays() >= 1 && retention.equals(Duration.ofDays(retention.toDays())),
                    "retention", retention.toString(), "whole days such as 30d (keys are kept per day), or 0 to keep"
                            + " bodies until their subject is erased");
            require(maxBytes.toBytes() >= 1 && maxBytes.toBytes() <= 64L * 1024 * 1024, "max-bytes", maxBytes.toString(),
                    "1B..64MB");
        }

        public boolean sealed() {
            return "sealed".equals(capture);
        }
    }

    /** Kafka replication of the ledger (idempotent producer, acks=all). */
    public record LedgerKafka(String bootstrapServers, @DefaultValue("warden-ledger") String topic) {
        public LedgerKafka {
            require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrap-servers", bootstrapServers,
                    "host:port[,host:port]");
        }
    }

    /**
     * Secret managers that provider keys, the store password and the admin token are fetched from at run time.
     * References: {@code vault://mount/path#field}, {@code aws-sm://name#field}, {@code azure-kv://vault/secret},
     * {@code gcp-sm://projects/p/secrets/s/versions/v}, {@code env://NAME}, {@code file:///path}.
     */
    public record Secrets(@DefaultValue SecretsCache cache, @Nullable SecretsVault vault, @Nullable SecretsAws aws,
                          @Nullable SecretsAzure azure, @Nullable SecretsGcp gcp) {
    }

    /** How long fetched values are kept, refreshed ahead of expiry, and served stale while a backend is down. */
    public record SecretsCache(@DefaultValue("5m") Duration ttl, @DefaultValue("1m") Duration refreshAhead,
                               @DefaultValue("15m") Duration maxStale, @DefaultValue("10s") Duration fetchTimeout) {
        public SecretsCache {
            require(refreshAhead.compareTo(ttl) < 0, "refresh-ahead", refreshAhead.toString(), "shorter than ttl");
        }
    }

    /** HashiCorp Vault: token, token-file (Vault Agent), app-role or kubernetes authentication. */
    public record SecretsVault(URI address, @Nullable String namespace, @DefaultValue("2") int kvVersion,
                               @Nullable Map<String, VaultMount> mounts,
                               @DefaultValue("token") String authentication, @Nullable String token,
                               @Nullable Path tokenFile, @Nullable VaultAppRole appRole,
                               @Nullable VaultKubernetes kubernetes) {
        public SecretsVault {
            require(address != null, "address", null, "the Vault URL, e.g. https://vault.internal:8200");
            require(kvVersion == 1 || kvVersion == 2, "kv-version", Integer.toString(kvVersion), "1 or 2");
            require(List.of("token", "token-file", "app-role", "kubernetes").contains(authentication),
                    "authentication", authentication, "token, token-file, app-role or kubernetes");
            mounts = mounts == null ? Map.of() : Map.copyOf(mounts);
        }
    }

    public record VaultMount(@DefaultValue("2") int kvVersion) {
    }

    public record VaultAppRole(@DefaultValue("approle") String path, String roleId, String secretId) {
    }

    public record VaultKubernetes(@DefaultValue("kubernetes") String path, String role, @Nullable Path jwtFile) {
    }

    /** AWS Secrets Manager through the default credential chain (IRSA, instance profile, environment). */
    public record SecretsAws(@Nullable String region, @Nullable URI endpoint) {
    }

    /** Azure Key Vault through DefaultAzureCredential, or a client secret (itself a secret reference). */
    public record SecretsAzure(@Nullable String vaultUrlTemplate, @Nullable String tenantId, @Nullable String clientId,
                               @Nullable String clientSecret) {
    }

    /** Google Secret Manager through application default credentials. */
    public record SecretsGcp(@Nullable String endpoint, @DefaultValue("false") boolean plaintext) {
    }

    /** A provider endpoint and the credentials Warden holds for it. */
    public record Provider(
            String name,
            String type,
            @Nullable URI baseUrl,
            @Nullable List<Credential> keys,
            @Nullable Map<String, String> headers,
            @Nullable Duration timeout,
            @Nullable Map<String, String> options) {

        public Provider {
            options = options == null ? Map.of() : Map.copyOf(options);
            require(name != null && name.matches("[a-z0-9][a-z0-9._-]{0,63}"), "name", name,
                    "1-64 lower-case letters, digits, '.', '_' or '-'");
            require(type != null && !type.isBlank(), "type", type, "a provider type, e.g. openai");
            keys = keys == null ? List.of() : List.copyOf(keys);
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }

    /** One credential of a provider, chosen by weight among the healthy ones. */
    public record Credential(
            String id,
            @Nullable String secret,
            @DefaultValue("1") int weight) {

        public Credential {
            require(id != null && id.matches("[A-Za-z0-9._-]{1,64}"), "id", id, "1-64 letters, digits, '.', '_' or '-'");
            require(weight >= 1 && weight <= 1000, "weight", Integer.toString(weight), "1..1000");
        }
    }

    /**
     * A model name callers use and the ordered targets it is served by. A name ending in {@code *} matches every
     * model with that prefix; a target model of {@code "*"} then forwards the requested name unchanged.
     */
    public record Model(
            String name,
            List<Target> targets) {

        public Model {
            require(name != null && !name.isBlank() && name.length() <= 256, "name", name, "a model name");
            require(targets != null && !targets.isEmpty(), "targets", "[]", "at least one target");
            targets = List.copyOf(targets);
        }
    }

    /** One hop of a fallback chain. */
    public record Target(String provider, @Nullable String model) {
        public Target {
            require(provider != null && !provider.isBlank(), "provider", provider, "a configured provider name");
        }
    }

    /** Fails binding with a message the binder prefixes with the option's path. */
    static void require(boolean condition, String field, @Nullable String value, String expected) {
        if (!condition) {
            throw new IllegalArgumentException(field + ": \"" + value + "\" (expected: " + expected + ")");
        }
    }
}
