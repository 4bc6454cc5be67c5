package dev.warden.secrets.vault;

import dev.warden.secrets.InvalidSecretReferenceException;
import dev.warden.secrets.SecretAccessDeniedException;
import dev.warden.secrets.SecretBackendException;
import dev.warden.secrets.SecretException;
import dev.warden.secrets.SecretFields;
import dev.warden.secrets.SecretNotFoundException;
import dev.warden.secrets.SecretReference;
import dev.warden.secrets.SecretSource;
import dev.warden.secrets.SecretSourceHealth;
import dev.warden.secrets.SecretValue;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.vault.VaultException;
import org.springframework.vault.authentication.ClientAuthentication;
import org.springframework.vault.authentication.KubernetesServiceAccountTokenFile;
import org.springframework.vault.authentication.LifecycleAwareSessionManager;
import org.springframework.vault.authentication.SessionManager;
import org.springframework.vault.authentication.SimpleSessionManager;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.RestClientBuilder;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.client.VaultHttpHeaders;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.support.VaultHealth;
import org.springframework.vault.support.VaultResponse;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClient;

import java.net.http.HttpClient;
import java.util.Map;

/**
 * {@code vault://<mount>/<path>[#<field>]} through Spring Vault's {@link VaultTemplate}.
 *
 * <p>The first path segment is the KV mount; the rest is the secret's path inside it. KV v2 reads
 * {@code GET /v1/<mount>/data/<path>} and takes {@code data.data}; KV v1 reads {@code GET /v1/<mount>/<path>} and
 * takes {@code data}. The read goes through {@link VaultTemplate#doWithSession}, so login, token renewal and the
 * namespace header are Spring Vault's, and the HTTP status is still ours to classify (a 403 is a refusal, a 503 a
 * sealed or unavailable Vault).
 */
public final class VaultSecretSource implements SecretSource {

    public static final String SCHEME = "vault";

    private final VaultOptions options;
    private final VaultTemplate template;
    private final @Nullable ThreadPoolTaskScheduler renewals;

    public VaultSecretSource(VaultOptions options) {
        this.options = options;
        HttpClient http = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(options.readTimeout());
        // RestClient, not RestTemplate: RestTemplate logs request bodies at DEBUG, and the AppRole login body
        // carries the secret id (the canary test caught it).
        RestClientBuilder builder = RestClientBuilder.builder()
                .endpoint(VaultEndpoint.from(options.address()))
                .requestFactory(requests);
        if (options.namespace() != null) {
            // On every call, login included: with Enterprise namespaces the auth mounts live in the namespace too.
            builder = builder.defaultHeader(VaultHttpHeaders.VAULT_NAMESPACE, options.namespace());
        }
        RestClient rest = builder.build();
        SessionManager sessions;
        switch (options.authentication()) {
            case VaultAuthentication.Token t -> {
                sessions = new SimpleSessionManager(new TokenAuthentication(t.token().reveal()));
                renewals = null;
            }
            case VaultAuthentication.TokenFile f -> {
                sessions = new TokenFileSessionManager(f.file());
                renewals = null;
            }
            case VaultAuthentication.AppRole a -> {
                renewals = scheduler();
                sessions = new LifecycleAwareSessionManager(appRole(a, rest), renewals, rest);
            }
            case VaultAuthentication.Kubernetes k -> {
                renewals = scheduler();
                sessions = new LifecycleAwareSessionManager(kubernetes(k, rest), renewals, rest);
            }
        }
        this.template = new VaultTemplate(builder, sessions);
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
        boolean v2 = options.kvVersion(location.mount) == VaultOptions.KvVersion.V2;
        String apiPath = v2 ? location.mount + "/data/" + location.path : location.mount + "/" + location.path;
        Read read;
        try {
            // The read's own outcome is returned, not thrown: VaultTemplate wraps what escapes the callback, and a
            // 403 on the read must not be confused with a refused login.
            read = template.doWithSession(rest -> {
                try {
                    return new Read.Answered(rest.getForObject(apiPath, VaultResponse.class));
                } catch (HttpStatusCodeException e) {
                    return new Read.Status(e.getStatusCode().value(), e);
                } catch (ResourceAccessException e) {
                    return new Read.Unreachable(e);
                } catch (RestClientException e) {
                    return new Read.Unreadable(e);
                }
            });
        } catch (VaultException e) {
            throw loginFailure(reference, e);
        } catch (ResourceAccessException e) {
            throw new SecretBackendException(reference, "Vault at " + options.address()
                    + " is unreachable during login: " + e.getMostSpecificCause().getClass().getSimpleName(), e);
        }
        VaultResponse response = switch (read) {
            case Read.Answered a -> a.response;
            case Read.Status st -> throw classify(reference, st.status, apiPath, st.cause);
            case Read.Unreachable u -> throw new SecretBackendException(reference, "Vault at " + options.address()
                    + " is unreachable: " + u.cause.getMostSpecificCause().getClass().getSimpleName(), u.cause);
            // e.g. a body that is not JSON; its message may quote the body, so keep only its class and stack.
            case Read.Unreadable u -> throw new SecretBackendException(reference, "Vault answered " + apiPath
                    + " with a response that is not a KV secret", SecretException.redacted(u.cause));
        };
        @Nullable Map<String, Object> data = response == null ? null : response.getData();
        if (v2 && data != null) {
            Object inner = data.get("data");
            // KV v2 answers a deleted or destroyed latest version with data.data = null.
            data = inner instanceof Map<?, ?> m ? castMap(m) : null;
        }
        if (data == null) {
            throw new SecretNotFoundException(reference, "Vault has no " + (v2 ? "live version of " : "")
                    + "secret '" + reference + "' (read " + apiPath + ")");
        }
        return SecretFields.select(reference, data);
    }

    /** GET /v1/sys/health: unauthenticated, answers even when sealed. */
    @Override
    public SecretSourceHealth probe() {
        try {
            VaultHealth health = template.opsForSys().health();
            String detail = "initialized=" + health.isInitialized() + ", sealed=" + health.isSealed()
                    + ", standby=" + health.isStandby() + ", version " + health.getVersion();
            return health.isInitialized() && !health.isSealed()
                    ? SecretSourceHealth.up(SCHEME, detail)
                    : SecretSourceHealth.down(SCHEME, detail);
        } catch (RuntimeException e) {
            return SecretSourceHealth.down(SCHEME, "Vault at " + options.address() + " did not answer: "
                    + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        try {
            template.destroy();
        } catch (Exception ignored) {
            // Revoking the login token on shutdown is best effort; Vault expires it anyway.
        }
        if (renewals != null) {
            renewals.shutdown();
        }
    }

    private SecretException classify(SecretReference reference, int status, String apiPath, Exception cause) {
        String what = "Vault answered " + status + " for " + apiPath;
        return switch (status) {
            case 404 -> new SecretNotFoundException(reference, "Vault has no secret '" + reference + "' ("
                    + what + ")", cause);
            case 401, 403 -> new SecretAccessDeniedException(reference, what + " (expected: a policy granting "
                    + "read on " + apiPath + ")", cause);
            default -> new SecretBackendException(reference, what, cause);
        };
    }

    /** Login failures surface as VaultException from the session manager; find out whether Vault said no. */
    private SecretException loginFailure(SecretReference reference, VaultException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpStatusCodeException status) {
                int code = status.getStatusCode().value();
                if (code >= 500 || code == 429) {
                    return new SecretBackendException(reference, "Vault login failed with " + code, e);
                }
                return new SecretAccessDeniedException(reference, "Vault login refused with " + code
                        + " (expected: valid " + authName() + " credentials)", e);
            }
            if (t instanceof ResourceAccessException || t instanceof java.io.IOException) {
                return new SecretBackendException(reference, "Vault at " + options.address()
                        + " is unreachable during login: " + t.getClass().getSimpleName(), e);
            }
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("Status 5") || message.contains("I/O error")) {
            return new SecretBackendException(reference, "Vault login failed: " + message, e);
        }
        return new SecretAccessDeniedException(reference, "Vault login failed: " + message
                + " (expected: valid " + authName() + " credentials)", e);
    }

    private String authName() {
        return switch (options.authentication()) {
            case VaultAuthentication.Token t -> "token";
            case VaultAuthentication.TokenFile f -> "token file";
            case VaultAuthentication.AppRole a -> "AppRole";
            case VaultAuthentication.Kubernetes k -> "Kubernetes";
        };
    }

    private static Location location(SecretReference reference) {
        String expected = " (expected: vault://<mount>/<path>[#<field>])";
        String loc = reference.location();
        int slash = loc.indexOf('/');
        if (slash <= 0 || slash == loc.length() - 1) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                    + "' names no path inside the mount" + expected);
        }
        for (String segment : loc.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                        + "' has an empty, '.' or '..' path segment" + expected);
            }
        }
        return new Location(loc.substring(0, slash), loc.substring(slash + 1));
    }

    private static ClientAuthentication appRole(VaultAuthentication.AppRole a, RestClient rest) {
        return new VaultLogin(rest, "AppRole", a.path(),
                () -> Map.of("role_id", a.roleId(), "secret_id", a.secretId().reveal()));
    }

    private static ClientAuthentication kubernetes(VaultAuthentication.Kubernetes k, RestClient rest) {
        // Read at every login: projected service account tokens are rotated by the kubelet.
        KubernetesServiceAccountTokenFile jwt = new KubernetesServiceAccountTokenFile(k.jwtFile().toFile());
        return new VaultLogin(rest, "Kubernetes", k.path(), () -> Map.of("role", k.role(), "jwt", jwt.get()));
    }

    private static ThreadPoolTaskScheduler scheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("warden-vault-token-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        return scheduler;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private record Location(String mount, String path) {
    }

    private sealed interface Read {
        record Answered(@Nullable VaultResponse response) implements Read {
        }

        record Status(int status, Exception cause) implements Read {
        }

        record Unreachable(ResourceAccessException cause) implements Read {
        }

        record Unreadable(RestClientException cause) implements Read {
        }
    }
}
