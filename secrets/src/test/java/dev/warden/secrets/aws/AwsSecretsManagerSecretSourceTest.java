package dev.warden.secrets.aws;

import dev.warden.secrets.SecretAccessDeniedException;
import dev.warden.secrets.SecretNotFoundException;
import dev.warden.secrets.SecretReference;
import dev.warden.secrets.SecretSource;
import dev.warden.secrets.SecretSourceContract;
import dev.warden.secrets.SecretValue;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AWS Secrets Manager through the AWS SDK v2 client, pointed (endpoint override, as for a VPC endpoint) at a local
 * server speaking the JSON 1.1 protocol that verifies each request's SigV4 signature.
 */
class AwsSecretsManagerSecretSourceTest extends SecretSourceContract {

    private SecretsManagerTestServer server;
    private String secretAccessKey;

    @Override
    protected Backend startBackend() {
        secretAccessKey = canary("aws-secret-access-key");
        server = new SecretsManagerTestServer(secretAccessKey);
        AwsSecretsManagerSecretSource source = new AwsSecretsManagerSecretSource(options(secretAccessKey));
        SecretsManagerTestServer s = server;
        return new Backend() {
            @Override
            public SecretSource source() {
                return source;
            }

            @Override
            public String put(String name, String value) {
                s.put("warden/" + name, value);
                return "aws-sm://warden/" + name;
            }

            @Override
            public String putFields(String name, Map<String, String> fields) {
                s.put("warden/" + name, JsonMapper.builder().build().writeValueAsString(fields));
                return "aws-sm://warden/" + name;
            }

            @Override
            public String missing() {
                return "aws-sm://warden/does-not-exist";
            }

            @Override
            public void deny(String name) {
                s.deny("warden/" + name);
            }

            @Override
            public void stop() {
                s.http().stop();
            }

            @Override
            public void start() {
                s.http().start();
            }

            @Override
            public int reads() {
                return s.reads();
            }

            @Override
            public boolean can(Capability capability) {
                return true;
            }

            @Override
            public void close() {
                source.close();
                s.close();
            }
        };
    }

    private AwsSecretsManagerOptions options(String secretKey) {
        return AwsSecretsManagerOptions.of(SecretsManagerTestServer.REGION)
                .withEndpointOverride(URI.create(server.endpoint()))
                .withCredentials(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SecretsManagerTestServer.ACCESS_KEY_ID, secretKey)))
                .withRetries(2, Duration.ofSeconds(5));
    }

    @Test
    void requestsAreSignedWithSigV4ForTheRegionAndService() {
        String ref = backend.put("signed", canary("signed"));
        resolveText(ref);
        assertThat(server.authorizations()).isNotEmpty().allSatisfy(a -> assertThat(a)
                .matches("AWS4-HMAC-SHA256 Credential=" + SecretsManagerTestServer.ACCESS_KEY_ID
                        + "/\\d{8}/eu-central-1/secretsmanager/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, "
                        + "Signature=[0-9a-f]{64}"));
    }

    @Test
    void wrongSecretAccessKeyFailsTheSignatureCheckAndIsAccessDenied() {
        try (AwsSecretsManagerSecretSource source = new AwsSecretsManagerSecretSource(options(canary("wrong-key")))) {
            backend.put("wrong-key", canary("wk"));
            assertThatThrownBy(() -> source.fetch(SecretReference.parse("aws-sm://warden/wrong-key")))
                    .isInstanceOf(SecretAccessDeniedException.class)
                    .hasMessageContaining("InvalidSignatureException");
        }
    }

    @Test
    void readsBySecretArn() {
        String value = canary("by-arn");
        String arn = server.put("warden/by-arn", value);
        assertThat(resolveText("aws-sm://" + arn)).isEqualTo(value);
    }

    @Test
    void fieldOfASecretThatIsNotJsonIsNotFoundWithoutQuotingIt() {
        String ref = backend.put("plain", canary("plain-text"));
        assertThatThrownBy(() -> backend.source().fetch(SecretReference.parse(ref + "#key")))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageContaining("is not a JSON object")
                .hasNoCause();
    }

    @Test
    void wholeJsonSecretWithoutAFieldIsTheValue() {
        String ref = backend.putFields("whole", Map.of("k", "v"));
        try (SecretValue value = backend.source().fetch(SecretReference.parse(ref))) {
            assertThat(value.reveal()).isEqualTo("{\"k\":\"v\"}");
        }
    }

    @Test
    void malformedNamesAndArnsAreInvalidReferences() {
        assertThatThrownBy(() -> resolver.reference("aws-sm://bad name"))
                .hasMessageContaining("whitespace");
        assertThatThrownBy(() -> resolver.reference("aws-sm://bad!name"))
                .hasMessageContaining("invalid secret name");
        assertThatThrownBy(() -> resolver.reference("aws-sm://arn:aws:s3:::bucket"))
                .hasMessageContaining("malformed ARN");
    }
}
