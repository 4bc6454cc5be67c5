package dev.warden.secrets.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import dev.warden.secrets.SecretValue;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of {@link AzureKeyVaultSecretSource}; bound from {@code warden.secrets.azure.*}.
 *
 * @param vaultUrlTemplate the vault URL with {@code {vault}} for the name in the reference:
 *                         {@code https://{vault}.vault.azure.net} (public cloud), {@code https://{vault}.vault.azure.cn},
 *                         {@code https://{vault}.vault.usgovcloudapi.net} (key {@code vault-url-template})
 * @param tenantId         Entra tenant, for the client-secret credential or to pin DefaultAzureCredential (key
 *                         {@code tenant-id})
 * @param clientId         app registration or user-assigned managed identity client id (key {@code client-id})
 * @param clientSecret     with tenantId and clientId: a client-secret credential instead of DefaultAzureCredential
 *                         (key {@code client-secret}, itself a secret reference such as {@code env://AZURE_CLIENT_SECRET})
 * @param credential       set programmatically to replace all of the above (tests, custom credentials)
 * @param httpClient       set programmatically for custom TLS trust or proxies; null for the JDK HTTP client
 * @param maxRetries       retries per call after the first attempt, exponential backoff (key {@code max-retries})
 * @param timeout          response timeout per attempt (key {@code timeout})
 * @param verifyChallengeResource whether the bearer challenge's resource must match the vault's domain, as the SDK
 *                         does by default; turn off only for private endpoints under another domain (key
 *                         {@code verify-challenge-resource})
 * @param authorityHost    Entra ID login host; null for the public cloud, {@code https://login.chinacloudapi.cn},
 *                         {@code https://login.microsoftonline.us} (key {@code authority-host})
 * @param instanceDiscovery whether MSAL validates the authority host against Entra's instance discovery; off only for
 *                         a private authority (key {@code instance-discovery}, default true)
 */
public record AzureKeyVaultOptions(String vaultUrlTemplate, @Nullable String tenantId, @Nullable String clientId,
                                   @Nullable SecretValue clientSecret, @Nullable TokenCredential credential,
                                   @Nullable HttpClient httpClient, int maxRetries, Duration timeout,
                                   boolean verifyChallengeResource, @Nullable String authorityHost,
                                   boolean instanceDiscovery) {

    public static final String PUBLIC_CLOUD = "https://{vault}.vault.azure.net";

    public AzureKeyVaultOptions {
        Objects.requireNonNull(vaultUrlTemplate, "vaultUrlTemplate");
        if (!vaultUrlTemplate.startsWith("https://") || !vaultUrlTemplate.contains("{vault}")) {
            throw new IllegalArgumentException("warden.secrets.azure.vault-url-template: '" + vaultUrlTemplate
                    + "' (expected: https://...{vault}..., e.g. " + PUBLIC_CLOUD + ")");
        }
        if (clientSecret != null && (tenantId == null || clientId == null)) {
            throw new IllegalArgumentException("warden.secrets.azure.client-secret is set without tenant-id and "
                    + "client-id (expected: all three for a client-secret credential)");
        }
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("warden.secrets.azure.max-retries: " + maxRetries + " (expected: 0..10)");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (authorityHost != null && !authorityHost.startsWith("https://")) {
            throw new IllegalArgumentException("warden.secrets.azure.authority-host: '" + authorityHost
                    + "' (expected: https://login...)");
        }
    }

    /** Public cloud, DefaultAzureCredential, 3 retries, 10 s timeout. */
    public static AzureKeyVaultOptions defaults() {
        return new AzureKeyVaultOptions(PUBLIC_CLOUD, null, null, null, null, null, 3, Duration.ofSeconds(10), true,
                null, true);
    }

    public AzureKeyVaultOptions withVaultUrlTemplate(String template) {
        return new AzureKeyVaultOptions(template, tenantId, clientId, clientSecret, credential, httpClient, maxRetries,
                timeout, verifyChallengeResource, authorityHost, instanceDiscovery);
    }

    public AzureKeyVaultOptions withClientSecret(String tenantId, String clientId, SecretValue clientSecret) {
        return new AzureKeyVaultOptions(vaultUrlTemplate, tenantId, clientId, clientSecret, credential, httpClient,
                maxRetries, timeout, verifyChallengeResource, authorityHost, instanceDiscovery);
    }

    public AzureKeyVaultOptions withCredential(TokenCredential credential) {
        return new AzureKeyVaultOptions(vaultUrlTemplate, tenantId, clientId, clientSecret, credential, httpClient,
                maxRetries, timeout, verifyChallengeResource, authorityHost, instanceDiscovery);
    }

    public AzureKeyVaultOptions withHttpClient(HttpClient httpClient) {
        return new AzureKeyVaultOptions(vaultUrlTemplate, tenantId, clientId, clientSecret, credential, httpClient,
                maxRetries, timeout, verifyChallengeResource, authorityHost, instanceDiscovery);
    }

    public AzureKeyVaultOptions withRetries(int maxRetries, Duration timeout) {
        return new AzureKeyVaultOptions(vaultUrlTemplate, tenantId, clientId, clientSecret, credential, httpClient,
                maxRetries, timeout, verifyChallengeResource, authorityHost, instanceDiscovery);
    }

    /** A private Entra authority (sovereign clouds need only the host; tests also turn off instance discovery). */
    public AzureKeyVaultOptions withAuthority(String authorityHost, boolean instanceDiscovery) {
        return new AzureKeyVaultOptions(vaultUrlTemplate, tenantId, clientId, clientSecret, credential, httpClient,
                maxRetries, timeout, verifyChallengeResource, authorityHost, instanceDiscovery);
    }

    String vaultUrl(String vaultName) {
        return vaultUrlTemplate.replace("{vault}", vaultName);
    }
}
