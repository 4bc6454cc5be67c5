package dev.warden.secrets.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import dev.warden.secrets.SecretSource;
import dev.warden.secrets.SecretSourceContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Google Secret Manager through SecretManagerServiceClient, with only its endpoint overridden (plaintext, loopback)
 * and no credentials, against a gRPC server implementing the SecretManagerService methods the source calls.
 */
class GcpSecretManagerSecretSourceTest extends SecretSourceContract {

    private static final String PREFIX = "gcp-sm://projects/" + SecretManagerTestServer.PROJECT + "/secrets/";

    private SecretManagerTestServer server;

    @Override
    protected Backend startBackend() {
        server = new SecretManagerTestServer();
        GcpSecretManagerSecretSource source = new GcpSecretManagerSecretSource(GcpSecretManagerOptions.defaults()
                .withEndpoint(server.endpoint(), true)
                .withCredentials(NoCredentialsProvider.create())
                .withRetries(2, Duration.ofSeconds(5)));
        SecretManagerTestServer s = server;
        return new Backend() {
            @Override
            public SecretSource source() {
                return source;
            }

            @Override
            public String put(String name, String value) {
                s.put(name, value);
                return PREFIX + name + "/versions/latest";
            }

            @Override
            public String missing() {
                return PREFIX + "does-not-exist/versions/latest";
            }

            @Override
            public void deny(String name) {
                s.deny(name);
            }

            @Override
            public void stop() {
                s.stop();
            }

            @Override
            public void start() {
                s.start();
            }

            @Override
            public int reads() {
                return s.reads();
            }

            @Override
            public boolean can(Capability capability) {
                return capability != Capability.FIELDS;
            }

            @Override
            public void close() {
                source.close();
                s.close();
            }
        };
    }

    @Test
    void pinnedVersionDoesNotMoveWhenANewVersionIsAdded() {
        String first = canary("v1");
        int number = server.put("pinned", first);
        server.put("pinned", canary("v2"));
        assertThat(resolveText(PREFIX + "pinned/versions/" + number)).isEqualTo(first);
    }

    @Test
    void versionCanBeLeftOutAndMeansLatest() {
        server.put("short", canary("old"));
        String latest = canary("latest");
        server.put("short", latest);
        assertThat(resolveText(PREFIX + "short")).isEqualTo(latest);
    }

    @Test
    void callsComeFromTheOfficialClient() {
        resolveText(backend.put("client", canary("client")));
        assertThat(server.apiClientHeaders()).isNotEmpty().allSatisfy(h -> assertThat(h).contains("gapic/"));
    }

    @Test
    void malformedNamesAreInvalidReferences() {
        assertThatThrownBy(() -> resolver.reference("gcp-sm://warden-prod-1/openai"))
                .hasMessageContaining("expected: gcp-sm://projects/<project>/secrets/<secret>[/versions/<version>]");
        assertThatThrownBy(() -> resolver.reference(PREFIX + "key#field"))
                .hasMessageContaining("#field");
    }
}
