package dev.warden.secrets.gcp;

import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.common.hash.Hashing;
import dev.warden.secrets.InvalidSecretReferenceException;
import dev.warden.secrets.SecretAccessDeniedException;
import dev.warden.secrets.SecretBackendException;
import dev.warden.secrets.SecretException;
import dev.warden.secrets.SecretNotFoundException;
import dev.warden.secrets.SecretReference;
import dev.warden.secrets.SecretSource;
import dev.warden.secrets.SecretSourceHealth;
import dev.warden.secrets.SecretValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code gcp-sm://projects/<project>/secrets/<secret>/versions/<version>} through Google's
 * {@link SecretManagerServiceClient} ({@code AccessSecretVersion} over gRPC). {@code /versions/<version>} may be left
 * out and means {@code latest}; pinning a number makes rotation a configuration change, {@code latest} picks up new
 * versions at the next refresh.
 */
public final class GcpSecretManagerSecretSource implements SecretSource {

    public static final String SCHEME = "gcp-sm";

    // Project ids (6-30 chars) or numbers; secret ids: 1-255 of letters, digits, - and _; versions: a number,
    // "latest" or an alias.
    private static final Pattern NAME = Pattern.compile(
            "projects/([a-z][a-z0-9-]{4,28}[a-z0-9]|\\d{1,20})/secrets/([A-Za-z0-9_-]{1,255})(?:/versions/([A-Za-z0-9_-]{1,63}))?");

    private final SecretManagerServiceClient client;
    private final Set<String> projects = ConcurrentHashMap.newKeySet();

    public GcpSecretManagerSecretSource(GcpSecretManagerOptions options) {
        try {
            SecretManagerServiceSettings.Builder settings = SecretManagerServiceSettings.newBuilder();
            InstantiatingGrpcChannelProvider.Builder channel = SecretManagerServiceSettings
                    .defaultGrpcTransportProviderBuilder()
                    .setEndpoint(options.endpoint());
            if (options.plaintext()) {
                channel.setChannelConfigurator(b -> b.usePlaintext());
            }
            settings.setTransportChannelProvider(channel.build());
            if (options.credentials() != null) {
                settings.setCredentialsProvider(options.credentials());
            }
            RetrySettings retry = settings.accessSecretVersionSettings().getRetrySettings().toBuilder()
                    .setMaxAttempts(options.maxAttempts())
                    .setTotalTimeoutDuration(options.timeout())
                    .setInitialRpcTimeoutDuration(options.timeout())
                    .setMaxRpcTimeoutDuration(options.timeout())
                    .build();
            settings.accessSecretVersionSettings().setRetrySettings(retry);
            settings.listSecretsSettings().setRetrySettings(retry.toBuilder().setMaxAttempts(1).build());
            this.client = SecretManagerServiceClient.create(settings.build());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the Google Secret Manager client for "
                    + options.endpoint(), e);
        }
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public void validate(SecretReference reference) {
        name(reference);
    }

    @Override
    public SecretValue fetch(SecretReference reference) {
        String name = name(reference);
        projects.add(name.substring("projects/".length(), name.indexOf("/secrets/")));
        AccessSecretVersionResponse response;
        try {
            response = client.accessSecretVersion(name);
        } catch (ApiException e) {
            throw classify(reference, name, e);
        } catch (RuntimeException e) {
            throw new SecretBackendException(reference, "Google Secret Manager failed for '" + reference + "': "
                    + e.getClass().getSimpleName(), e);
        }
        SecretPayload payload = response.getPayload();
        byte[] data = payload.getData().toByteArray();
        try {
            // The API returns a CRC32C of the payload so clients can detect corruption in transit.
            if (payload.hasDataCrc32C()
                    && Integer.toUnsignedLong(Hashing.crc32c().hashBytes(data).asInt()) != payload.getDataCrc32C()) {
                throw new SecretBackendException(reference, "payload of '" + reference + "' failed its CRC32C check",
                        null);
            }
            return SecretValue.ofUtf8(data);
        } catch (IllegalArgumentException e) {
            throw new SecretNotFoundException(reference, "secret '" + reference + "' is not UTF-8 text");
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /** ListSecrets with a page of one in every project used so far; PERMISSION_DENIED still proves reachability. */
    @Override
    public SecretSourceHealth probe() {
        if (projects.isEmpty()) {
            return SecretSourceHealth.unknown(SCHEME, "no project used yet");
        }
        List<String> down = new ArrayList<>();
        for (String project : projects) {
            try {
                client.listSecretsCallable().call(ListSecretsRequest.newBuilder()
                        .setParent("projects/" + project).setPageSize(1).build());
            } catch (ApiException e) {
                StatusCode.Code code = e.getStatusCode().getCode();
                if (code == StatusCode.Code.UNAVAILABLE || code == StatusCode.Code.DEADLINE_EXCEEDED
                        || code == StatusCode.Code.INTERNAL) {
                    down.add(project + " (" + code + ")");
                }
            } catch (RuntimeException e) {
                down.add(project + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return down.isEmpty() ? SecretSourceHealth.up(SCHEME, "projects answered: " + projects)
                : SecretSourceHealth.down(SCHEME, "not answering: " + down);
    }

    @Override
    public void close() {
        client.shutdown();
        try {
            client.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SecretException classify(SecretReference reference, String name, ApiException e) {
        StatusCode.Code code = e.getStatusCode().getCode();
        String what = "Google Secret Manager answered " + code + " for " + name;
        return switch (code) {
            case NOT_FOUND -> new SecretNotFoundException(reference, what, e);
            // A disabled or destroyed version answers FAILED_PRECONDITION: for us that version is gone.
            case FAILED_PRECONDITION -> new SecretNotFoundException(reference, what
                    + " (the version is disabled or destroyed)", e);
            case PERMISSION_DENIED, UNAUTHENTICATED -> new SecretAccessDeniedException(reference, what
                    + " (expected: roles/secretmanager.secretAccessor for the gateway's service account)", e);
            default -> new SecretBackendException(reference, what, e);
        };
    }

    private static String name(SecretReference reference) {
        String expected = " (expected: gcp-sm://projects/<project>/secrets/<secret>[/versions/<version>], no #field)";
        if (reference.field() != null) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference + "' has a #field"
                    + expected);
        }
        Matcher m = NAME.matcher(reference.location());
        if (!m.matches()) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                    + "' is not a secret version name" + expected);
        }
        return "projects/" + m.group(1) + "/secrets/" + m.group(2) + "/versions/"
                + (m.group(3) == null ? "latest" : m.group(3));
    }
}
