package dev.warden.secrets.vault;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of {@link VaultSecretSource}; bound from {@code warden.secrets.vault.*}.
 *
 * @param address         Vault's base URL, e.g. {@code https://vault.internal:8200} (key {@code address})
 * @param namespace       Vault Enterprise namespace sent as {@code X-Vault-Namespace} on every call including
 *                        login, or null (key {@code namespace})
 * @param authentication  how to log in (keys {@code authentication}, {@code token}, {@code app-role.*},
 *                        {@code kubernetes.*})
 * @param defaultKvVersion KV engine version of mounts not listed in {@code kvVersions} (key {@code kv-version})
 * @param kvVersions      KV version per mount, e.g. {@code legacy -> V1} (key {@code mounts.<mount>.kv-version})
 * @param connectTimeout  TCP connect timeout (key {@code connect-timeout})
 * @param readTimeout     response timeout (key {@code read-timeout})
 */
public record VaultOptions(URI address, @Nullable String namespace, VaultAuthentication authentication,
                           KvVersion defaultKvVersion, Map<String, KvVersion> kvVersions,
                           Duration connectTimeout, Duration readTimeout) {

    /** KV secrets engine version: v1 reads {@code <mount>/<path>}, v2 reads {@code <mount>/data/<path>}. */
    public enum KvVersion { V1, V2 }

    public VaultOptions {
        Objects.requireNonNull(address, "address");
        if (!"https".equals(address.getScheme()) && !"http".equals(address.getScheme()) || address.getHost() == null) {
            throw new IllegalArgumentException("warden.secrets.vault.address: '" + address
                    + "' (expected: http(s)://host[:port])");
        }
        if (namespace != null && namespace.isBlank()) {
            namespace = null;
        }
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(defaultKvVersion, "defaultKvVersion");
        kvVersions = Map.copyOf(kvVersions);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
    }

    /** KV v2 everywhere, no namespace, 5 s connect and 10 s read timeouts. */
    public static VaultOptions of(URI address, VaultAuthentication authentication) {
        return new VaultOptions(address, null, authentication, KvVersion.V2, Map.of(),
                Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    public VaultOptions withNamespace(@Nullable String namespace) {
        return new VaultOptions(address, namespace, authentication, defaultKvVersion, kvVersions, connectTimeout,
                readTimeout);
    }

    public VaultOptions withKvVersion(String mount, KvVersion version) {
        var versions = new java.util.HashMap<>(kvVersions);
        versions.put(mount, version);
        return new VaultOptions(address, namespace, authentication, defaultKvVersion, versions, connectTimeout,
                readTimeout);
    }

    public VaultOptions withDefaultKvVersion(KvVersion version) {
        return new VaultOptions(address, namespace, authentication, version, kvVersions, connectTimeout, readTimeout);
    }

    public VaultOptions withTimeouts(Duration connectTimeout, Duration readTimeout) {
        return new VaultOptions(address, namespace, authentication, defaultKvVersion, kvVersions, connectTimeout,
                readTimeout);
    }

    KvVersion kvVersion(String mount) {
        return kvVersions.getOrDefault(mount, defaultKvVersion);
    }

    static void requireText(String value, String key) {
        Objects.requireNonNull(value, key);
        if (value.isBlank()) {
            throw new IllegalArgumentException(key + ": blank (expected: a value)");
        }
    }
}
