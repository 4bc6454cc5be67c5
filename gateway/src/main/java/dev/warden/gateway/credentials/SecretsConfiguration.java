package dev.warden.gateway.credentials;

import dev.warden.gateway.config.ConfigurationError;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.secrets.SecretException;
import dev.warden.secrets.SecretResolver;
import dev.warden.secrets.SecretResolverListener;
import dev.warden.secrets.SecretSourceHealth;
import dev.warden.secrets.SecretValue;
import dev.warden.secrets.aws.AwsSecretsManagerOptions;
import dev.warden.secrets.aws.AwsSecretsManagerSecretSource;
import dev.warden.secrets.azure.AzureKeyVaultOptions;
import dev.warden.secrets.azure.AzureKeyVaultSecretSource;
import dev.warden.secrets.gcp.GcpSecretManagerOptions;
import dev.warden.secrets.gcp.GcpSecretManagerSecretSource;
import dev.warden.secrets.local.EnvSecretSource;
import dev.warden.secrets.local.FileSecretSource;
import dev.warden.secrets.vault.VaultAuthentication;
import dev.warden.secrets.vault.VaultOptions;
import dev.warden.secrets.vault.VaultSecretSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The secret managers configured under {@code warden.secrets}, behind one caching {@link SecretResolver}, and the
 * {@link CredentialResolver} the router uses. Backend credentials (a Vault secret id, an Azure client secret) are
 * themselves references resolved from env/file first. Health shows reachability only; metrics count hits, misses,
 * fetch latency and refresh failures per scheme — never values.
 */
@Configuration(proxyBeanMethods = false)
public class SecretsConfiguration {
    private static final Pattern REFERENCE = Pattern.compile("[a-z][a-z0-9+.-]*://.*", Pattern.DOTALL);

    @Bean(destroyMethod = "close")
    SecretResolver secretResolver(WardenProperties properties, MeterRegistry meters) {
        WardenProperties.Secrets config = properties.secrets();
        SecretResolver bootstrap = SecretResolver.builder().source(new EnvSecretSource())
                .source(new FileSecretSource()).build();
        SecretResolver.Builder builder = SecretResolver.builder()
                .source(new EnvSecretSource())
                .source(new FileSecretSource())
                .ttl(config.cache().ttl())
                .refreshAhead(config.cache().refreshAhead())
                .maxStale(config.cache().maxStale())
                .fetchTimeout(config.cache().fetchTimeout())
                .listener(new MeteredListener(meters));
        try (bootstrap) {
            if (config.vault() != null) {
                builder.source(new VaultSecretSource(vault(config.vault(), bootstrap)));
            }
            if (config.aws() != null) {
                builder.source(new AwsSecretsManagerSecretSource(AwsSecretsManagerOptions.of(config.aws().region())
                        .withEndpointOverride(config.aws().endpoint())));
            }
            if (config.azure() != null) {
                AzureKeyVaultOptions azure = AzureKeyVaultOptions.defaults();
                if (config.azure().vaultUrlTemplate() != null) {
                    azure = azure.withVaultUrlTemplate(config.azure().vaultUrlTemplate());
                }
                if (config.azure().clientSecret() != null) {
                    if (config.azure().tenantId() == null || config.azure().clientId() == null) {
                        throw new ConfigurationError("warden.secrets.azure.client-secret", "(set)",
                                "tenant-id and client-id set too");
                    }
                    azure = azure.withClientSecret(config.azure().tenantId(), config.azure().clientId(),
                            bootstrapValue(bootstrap, "warden.secrets.azure.client-secret", config.azure().clientSecret()));
                }
                builder.source(new AzureKeyVaultSecretSource(azure));
            }
            if (config.gcp() != null) {
                GcpSecretManagerOptions gcp = GcpSecretManagerOptions.defaults();
                if (config.gcp().endpoint() != null) {
                    gcp = gcp.withEndpoint(config.gcp().endpoint(), config.gcp().plaintext());
                }
                builder.source(new GcpSecretManagerSecretSource(gcp));
            }
        }
        SecretResolver resolver = builder.build();
        // Every reference in the configuration is parsed now, so a typo stops the start, not the first request.
        for (int i = 0; i < properties.providers().size(); i++) {
            for (int j = 0; j < properties.providers().get(i).keys().size(); j++) {
                String secret = properties.providers().get(i).keys().get(j).secret();
                if (secret != null && REFERENCE.matcher(secret).matches()) {
                    try {
                        resolver.reference(secret);
                    } catch (SecretException e) {
                        throw new ConfigurationError("warden.providers[" + i + "].keys[" + j + "].secret",
                                "(reference)", "a valid secret reference: " + e.getMessage());
                    }
                }
            }
        }
        return resolver;
    }

    @Bean
    CredentialResolver credentialResolver(SecretResolver secrets) {
        return reference -> {
            if (reference == null || reference.isEmpty()) {
                return null;
            }
            if (!REFERENCE.matcher(reference).matches()) {
                return reference; // a literal (demos and tests only; the README says to use references)
            }
            try (SecretValue value = secrets.resolve(reference)) {
                return value.reveal();
            } catch (SecretException e) {
                throw new CredentialResolver.CredentialUnavailableException(e.getMessage());
            }
        };
    }

    @Bean
    HealthIndicator secretsHealthIndicator(SecretResolver secrets) {
        return () -> {
            Health.Builder health = Health.up();
            for (SecretSourceHealth backend : secrets.health()) {
                health.withDetail(backend.scheme(), backend.status() + (backend.detail().isEmpty() ? ""
                        : " (" + backend.detail() + ")"));
                if (backend.status() == SecretSourceHealth.Status.DOWN) {
                    health.status("DEGRADED");
                }
            }
            return health.build();
        };
    }

    private static VaultOptions vault(WardenProperties.SecretsVault vault, SecretResolver bootstrap) {
        VaultAuthentication auth = switch (vault.authentication()) {
            case "token" -> new VaultAuthentication.Token(bootstrapValue(bootstrap, "warden.secrets.vault.token",
                    vault.token()));
            case "token-file" -> {
                if (vault.tokenFile() == null) {
                    throw new ConfigurationError("warden.secrets.vault.token-file", "missing", "a path");
                }
                yield new VaultAuthentication.TokenFile(vault.tokenFile());
            }
            case "app-role" -> {
                if (vault.appRole() == null) {
                    throw new ConfigurationError("warden.secrets.vault.app-role", "missing",
                            "path, role-id and secret-id");
                }
                yield new VaultAuthentication.AppRole(vault.appRole().path(), vault.appRole().roleId(),
                        bootstrapValue(bootstrap, "warden.secrets.vault.app-role.secret-id", vault.appRole().secretId()));
            }
            default -> {
                if (vault.kubernetes() == null) {
                    throw new ConfigurationError("warden.secrets.vault.kubernetes", "missing", "path, role, jwt-file");
                }
                yield new VaultAuthentication.Kubernetes(vault.kubernetes().path(), vault.kubernetes().role(),
                        vault.kubernetes().jwtFile() == null ? VaultAuthentication.Kubernetes.DEFAULT_TOKEN_FILE
                                : vault.kubernetes().jwtFile());
            }
        };
        VaultOptions options = VaultOptions.of(vault.address(), auth).withNamespace(vault.namespace())
                .withDefaultKvVersion(vault.kvVersion() == 1 ? VaultOptions.KvVersion.V1 : VaultOptions.KvVersion.V2);
        for (Map.Entry<String, WardenProperties.VaultMount> mount : vault.mounts().entrySet()) {
            options = options.withKvVersion(mount.getKey(), mount.getValue().kvVersion() == 1
                    ? VaultOptions.KvVersion.V1 : VaultOptions.KvVersion.V2);
        }
        return options;
    }

    private static SecretValue bootstrapValue(SecretResolver bootstrap, String option, @Nullable String reference) {
        if (reference == null || reference.isBlank()) {
            throw new ConfigurationError(option, "missing", "an env:// or file:// reference");
        }
        if (!REFERENCE.matcher(reference).matches()) {
            throw new ConfigurationError(option, "(a literal value)", "an env:// or file:// reference, not the secret");
        }
        try {
            return bootstrap.resolve(reference);
        } catch (SecretException e) {
            throw new ConfigurationError(option, "(reference)", "a resolvable env:// or file:// reference: "
                    + e.getMessage());
        }
    }

    /** Secret-cache metrics by scheme (never by reference text, which could be sensitive or unbounded). */
    private static final class MeteredListener implements SecretResolverListener {
        private final MeterRegistry meters;

        MeteredListener(MeterRegistry meters) {
            this.meters = meters;
        }

        @Override
        public void cacheHit(dev.warden.secrets.SecretReference reference) {
            meters.counter("warden.secrets.cache", "scheme", reference.scheme(), "result", "hit").increment();
        }

        @Override
        public void cacheMiss(dev.warden.secrets.SecretReference reference) {
            meters.counter("warden.secrets.cache", "scheme", reference.scheme(), "result", "miss").increment();
        }

        @Override
        public void fetched(dev.warden.secrets.SecretReference reference, Duration latency, boolean success) {
            Timer.builder("warden.secrets.fetch").tag("scheme", reference.scheme())
                    .tag("success", Boolean.toString(success)).register(meters).record(latency);
        }

        @Override
        public void refreshFailed(dev.warden.secrets.SecretReference reference, SecretException failure) {
            meters.counter("warden.secrets.refresh.failures", "scheme", reference.scheme()).increment();
        }
    }
}
