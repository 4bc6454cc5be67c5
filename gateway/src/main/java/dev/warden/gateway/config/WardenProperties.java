package dev.warden.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
        @NotNull @DefaultValue("./data") Path dataDir,
        @Valid @NotNull @DefaultValue Limits limits,
        @Valid @NotNull @DefaultValue Routing routing,
        @Valid @NotNull @DefaultValue Admin admin,
        @Valid @NotNull @DefaultValue Store store,
        @Valid @Nullable List<Provider> providers,
        @Valid @Nullable List<Model> models) {

    public WardenProperties {
        providers = providers == null ? List.of() : List.copyOf(providers);
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** Limits on what a caller may send and how long the gateway waits. */
    public record Limits(
            @NotNull @DefaultValue("10MB") DataSize maxBodySize,
            @NotNull @DefaultValue("300s") Duration requestTimeout,
            @NotNull @DefaultValue("120s") Duration streamIdleTimeout,
            @NotNull @DefaultValue("10s") Duration connectTimeout) {

        @AssertTrue(message = "max-body-size must be between 1KB and 100MB")
        public boolean isMaxBodySizeInRange() {
            return maxBodySize.toBytes() >= 1024 && maxBodySize.toBytes() <= 100L * 1024 * 1024;
        }

        @AssertTrue(message = "timeouts must be positive")
        public boolean isTimeoutsPositive() {
            return requestTimeout.isPositive() && streamIdleTimeout.isPositive() && connectTimeout.isPositive();
        }
    }

    /** How targets are chosen and how failing provider keys are rested. */
    public record Routing(
            @NotNull @DefaultValue("60s") Duration authFailureCooldown,
            @NotNull @DefaultValue("30s") Duration maxRetryAfter,
            @NotNull @DefaultValue("5s") Duration defaultRateLimitCooldown) {
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
                       @Min(1) @Max(500) @DefaultValue("20") int maxPoolSize) {
    }

    /** A provider endpoint and the credentials Warden holds for it. */
    public record Provider(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,63}",
                    message = "must be lower-case letters, digits, '.', '_' or '-' (1-64)") String name,
            @NotBlank String type,
            @Nullable URI baseUrl,
            @Valid @Nullable List<Credential> keys,
            @Nullable Map<String, String> headers,
            @Nullable Duration timeout) {

        public Provider {
            keys = keys == null ? List.of() : List.copyOf(keys);
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }

    /** One credential of a provider, chosen by weight among the healthy ones. */
    public record Credential(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "must be 1-64 letters, digits, '.', '_' or '-'")
            String id,
            @Nullable String secret,
            @Min(1) @Max(1000) @DefaultValue("1") int weight) {
    }

    /**
     * A model name callers use and the ordered targets it is served by. A name ending in {@code *} matches every
     * model with that prefix; a target model of {@code "*"} then forwards the requested name unchanged.
     */
    public record Model(
            @NotBlank String name,
            @Valid @NotEmpty List<Target> targets) {
    }

    /** One hop of a fallback chain. */
    public record Target(@NotBlank String provider, @Nullable String model) {
    }
}
