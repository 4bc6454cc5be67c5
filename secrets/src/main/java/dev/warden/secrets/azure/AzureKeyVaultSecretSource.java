package dev.warden.secrets.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.CredentialUnavailableException;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.microsoft.aad.msal4j.MsalServiceException;
import dev.warden.secrets.InvalidSecretReferenceException;
import dev.warden.secrets.SecretAccessDeniedException;
import dev.warden.secrets.SecretBackendException;
import dev.warden.secrets.SecretNotFoundException;
import dev.warden.secrets.SecretReference;
import dev.warden.secrets.SecretSource;
import dev.warden.secrets.SecretSourceHealth;
import dev.warden.secrets.SecretValue;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code azure-kv://<vault-name>/<secret>[/<version>]} through the Azure SDK's {@link SecretClient}, one client per
 * vault. The client performs Key Vault's bearer-challenge flow: the first request goes without a token, the vault
 * answers 401 with {@code WWW-Authenticate: Bearer authorization=..., resource=...}, and the client asks the
 * {@link TokenCredential} for a token for that resource and repeats the request.
 */
public final class AzureKeyVaultSecretSource implements SecretSource {

    public static final String SCHEME = "azure-kv";

    // Vault names: 3-24 of letters, digits and '-', starting with a letter. Secret names: 1-127 of letters, digits
    // and '-'. Versions: 32 hex digits. (Azure Key Vault naming rules.)
    private static final Pattern VAULT = Pattern.compile("[A-Za-z][A-Za-z0-9-]{2,23}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9-]{1,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9a-fA-F]{32}");
    private static final String EXPECTED = " (expected: azure-kv://<vault-name>/<secret>[/<version>], no #field)";

    private final AzureKeyVaultOptions options;
    private final TokenCredential credential;
    private final HttpClient httpClient;
    private final Map<String, SecretClient> clients = new ConcurrentHashMap<>();

    public AzureKeyVaultSecretSource(AzureKeyVaultOptions options) {
        this.options = options;
        this.httpClient = options.httpClient() != null ? options.httpClient()
                : new JdkHttpClientBuilder().connectionTimeout(Duration.ofSeconds(5))
                        .responseTimeout(options.timeout()).build();
        this.credential = credential(options, httpClient);
    }

    private static TokenCredential credential(AzureKeyVaultOptions options, HttpClient httpClient) {
        if (options.credential() != null) {
            return options.credential();
        }
        if (options.clientSecret() != null) {
            ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder()
                    .tenantId(options.tenantId())
                    .clientId(options.clientId())
                    .clientSecret(options.clientSecret().reveal())
                    .httpClient(httpClient);
            if (options.authorityHost() != null) {
                builder.authorityHost(options.authorityHost());
            }
            if (!options.instanceDiscovery()) {
                builder.disableInstanceDiscovery();
            }
            return builder.build();
        }
        // Workload identity on AKS, managed identity on VMs and App Service, environment, Azure CLI for developers.
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder().httpClient(httpClient);
        if (options.authorityHost() != null) {
            builder.authorityHost(options.authorityHost());
        }
        if (!options.instanceDiscovery()) {
            builder.disableInstanceDiscovery();
        }
        if (options.tenantId() != null) {
            builder.tenantId(options.tenantId());
        }
        if (options.clientId() != null) {
            builder.managedIdentityClientId(options.clientId());
            builder.workloadIdentityClientId(options.clientId());
        }
        return builder.build();
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public void validate(SecretReference reference) {
        location(reference);
    }

    @Override
    public SecretValue fetch(SecretReference reference) {
        Location location = location(reference);
        SecretClient client = clients.computeIfAbsent(location.vault, this::client);
        KeyVaultSecret secret;
        try {
            secret = client.getSecret(location.secret, location.version);
        } catch (ResourceNotFoundException e) {
            throw new SecretNotFoundException(reference, "Key Vault '" + location.vault + "' has no secret '"
                    + location.secret + "'" + (location.version == null ? "" : " version " + location.version)
                    + " (" + e.getResponse().getStatusCode() + ")", e);
        } catch (CredentialUnavailableException e) {
            throw new SecretAccessDeniedException(reference, "no Azure credential is available to read '" + reference
                    + "': " + e.getMessage(), e);
        } catch (ClientAuthenticationException e) {
            // Raised by the vault (401) or by the credential while getting a token (then without a response).
            throw new SecretAccessDeniedException(reference, "Key Vault '" + location.vault + "' refused '"
                    + reference + "' (" + (e.getResponse() == null ? "no token: " + e.getClass().getSimpleName()
                    : String.valueOf(e.getResponse().getStatusCode())) + "; expected: the Key Vault Secrets User "
                    + "role, or a get-secret access policy, for the gateway's identity)", e);
        } catch (HttpResponseException e) {
            int status = e.getResponse().getStatusCode();
            if (status == 401 || status == 403) {
                throw new SecretAccessDeniedException(reference, "Key Vault '" + location.vault + "' refused '"
                        + reference + "' (" + status + "; expected: the Key Vault Secrets User role for the gateway's "
                        + "identity)", e);
            }
            throw new SecretBackendException(reference, "Key Vault '" + location.vault + "' answered " + status
                    + " for '" + reference + "'", e);
        } catch (RuntimeException e) {
            MsalServiceException entra = find(e, MsalServiceException.class);
            if (entra != null && entra.statusCode() < 500) {
                // Entra ID refused the gateway's own credential (wrong client secret, unknown app, no consent).
                throw new SecretAccessDeniedException(reference, "no token for '" + reference + "': Entra ID answered "
                        + entra.statusCode() + " " + entra.errorCode() + " (expected: valid tenant-id, client-id and "
                        + "credential)", e);
            }
            // Connection refused, TLS failures and timeouts arrive as unchecked I/O or reactor exceptions.
            throw new SecretBackendException(reference, "Key Vault '" + location.vault + "' did not answer for '"
                    + reference + "': " + rootCause(e), e);
        }
        String value = secret.getValue();
        if (value == null) {
            throw new SecretNotFoundException(reference, "Key Vault secret '" + reference + "' has no value");
        }
        return SecretValue.of(value);
    }

    /**
     * Lists one page of secret names (never values) in every vault used so far; a 401/403 still proves the vault
     * answered.
     */
    @Override
    public SecretSourceHealth probe() {
        if (clients.isEmpty()) {
            return SecretSourceHealth.unknown(SCHEME, "no vault used yet");
        }
        List<String> down = new ArrayList<>();
        for (Map.Entry<String, SecretClient> e : clients.entrySet()) {
            try {
                e.getValue().listPropertiesOfSecrets().iterableByPage(1).iterator().next();
            } catch (HttpResponseException refused) {
                if (refused.getResponse().getStatusCode() >= 500) {
                    down.add(e.getKey() + " (" + refused.getResponse().getStatusCode() + ")");
                }
            } catch (RuntimeException unreachable) {
                down.add(e.getKey() + " (" + rootCause(unreachable) + ")");
            }
        }
        return down.isEmpty() ? SecretSourceHealth.up(SCHEME, "vaults answered: " + clients.keySet())
                : SecretSourceHealth.down(SCHEME, "vaults not answering: " + down);
    }

    private SecretClient client(String vault) {
        SecretClientBuilder builder = new SecretClientBuilder()
                .vaultUrl(options.vaultUrl(vault))
                .credential(credential)
                .httpClient(httpClient)
                .addPolicy(new DropEmptyContentLength())
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions()
                        .setMaxRetries(options.maxRetries())
                        .setBaseDelay(Duration.ofMillis(200))
                        .setMaxDelay(Duration.ofSeconds(2))));
        if (!options.verifyChallengeResource()) {
            builder.disableChallengeResourceVerification();
        }
        return builder.buildClient();
    }

    private static Location location(SecretReference reference) {
        if (reference.field() != null) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference + "' has a #field"
                    + EXPECTED);
        }
        String[] parts = reference.location().split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference + "' has "
                    + parts.length + " path part(s)" + EXPECTED);
        }
        if (!VAULT.matcher(parts[0]).matches()) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                    + "' has an invalid vault name '" + parts[0] + "' (expected: 3-24 letters, digits and -)");
        }
        if (!SECRET.matcher(parts[1]).matches()) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                    + "' has an invalid secret name '" + parts[1] + "' (expected: 1-127 letters, digits and -)");
        }
        if (parts.length == 3 && !VERSION.matcher(parts[2]).matches()) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                    + "' has an invalid version '" + parts[2] + "' (expected: 32 hex digits)");
        }
        return new Location(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    private static <T extends Throwable> @Nullable T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    private record Location(String vault, String secret, @Nullable String version) {
    }
}
