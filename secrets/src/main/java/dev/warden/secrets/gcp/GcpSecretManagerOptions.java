package dev.warden.secrets.gcp;

import com.google.api.gax.core.CredentialsProvider;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of {@link GcpSecretManagerSecretSource}; bound from {@code warden.secrets.gcp.*}.
 *
 * @param endpoint    {@code host:port} of the API; {@code secretmanager.googleapis.com:443} by default, a regional
 *                    endpoint such as {@code secretmanager.europe-west3.rep.googleapis.com:443}, or a Private Service
 *                    Connect name (key {@code endpoint})
 * @param plaintext   no TLS: only for a loopback test server or emulator (key {@code plaintext}, default false)
 * @param credentials null for application default credentials (GKE workload identity, the VM's service account,
 *                    {@code GOOGLE_APPLICATION_CREDENTIALS}); set programmatically, e.g. {@code NoCredentialsProvider}
 *                    in tests
 * @param maxAttempts attempts per call including the first, for UNAVAILABLE and RESOURCE_EXHAUSTED (key
 *                    {@code max-attempts})
 * @param timeout     bound on one call including retries (key {@code timeout})
 */
public record GcpSecretManagerOptions(String endpoint, boolean plaintext, @Nullable CredentialsProvider credentials,
                                      int maxAttempts, Duration timeout) {

    public static final String DEFAULT_ENDPOINT = "secretmanager.googleapis.com:443";

    public GcpSecretManagerOptions {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!endpoint.matches("[A-Za-z0-9.-]+:\\d{1,5}")) {
            throw new IllegalArgumentException("warden.secrets.gcp.endpoint: '" + endpoint
                    + "' (expected: host:port, e.g. " + DEFAULT_ENDPOINT + ")");
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("warden.secrets.gcp.max-attempts: " + maxAttempts + " (expected: 1..10)");
        }
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Global endpoint, application default credentials, 3 attempts within 10 seconds. */
    public static GcpSecretManagerOptions defaults() {
        return new GcpSecretManagerOptions(DEFAULT_ENDPOINT, false, null, 3, Duration.ofSeconds(10));
    }

    public GcpSecretManagerOptions withEndpoint(String endpoint, boolean plaintext) {
        return new GcpSecretManagerOptions(endpoint, plaintext, credentials, maxAttempts, timeout);
    }

    public GcpSecretManagerOptions withCredentials(CredentialsProvider credentials) {
        return new GcpSecretManagerOptions(endpoint, plaintext, credentials, maxAttempts, timeout);
    }

    public GcpSecretManagerOptions withRetries(int maxAttempts, Duration timeout) {
        return new GcpSecretManagerOptions(endpoint, plaintext, credentials, maxAttempts, timeout);
    }
}
