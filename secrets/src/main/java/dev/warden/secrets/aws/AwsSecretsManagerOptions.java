package dev.warden.secrets.aws;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of {@link AwsSecretsManagerSecretSource}; bound from {@code warden.secrets.aws.*}.
 *
 * @param region           e.g. {@code eu-central-1}; null takes the SDK's region chain ({@code AWS_REGION}, profile,
 *                         instance metadata) (key {@code region})
 * @param endpointOverride a VPC interface endpoint such as
 *                         {@code https://vpce-0abc-xyz.secretsmanager.eu-central-1.vpce.amazonaws.com}; null for the
 *                         public regional endpoint (key {@code endpoint})
 * @param credentials      null for the SDK's default chain (environment, IRSA web identity, ECS task role, instance
 *                         profile, profile file); set programmatically, e.g. in tests
 * @param maxAttempts      attempts per call including the first, for the SDK's retry strategy (key {@code max-attempts})
 * @param apiCallTimeout   bound on one call including retries (key {@code api-call-timeout})
 */
public record AwsSecretsManagerOptions(@Nullable String region, @Nullable URI endpointOverride,
                                       @Nullable AwsCredentialsProvider credentials, int maxAttempts,
                                       Duration apiCallTimeout) {

    public AwsSecretsManagerOptions {
        if (region != null && !region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
            throw new IllegalArgumentException("warden.secrets.aws.region: '" + region
                    + "' (expected: an AWS region such as eu-central-1)");
        }
        if (endpointOverride != null && (endpointOverride.getScheme() == null || endpointOverride.getHost() == null)) {
            throw new IllegalArgumentException("warden.secrets.aws.endpoint: '" + endpointOverride
                    + "' (expected: https://host[:port])");
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("warden.secrets.aws.max-attempts: " + maxAttempts + " (expected: 1..10)");
        }
        Objects.requireNonNull(apiCallTimeout, "apiCallTimeout");
    }

    /** Default credential chain, public endpoint, 3 attempts within 10 seconds. */
    public static AwsSecretsManagerOptions of(@Nullable String region) {
        return new AwsSecretsManagerOptions(region, null, null, 3, Duration.ofSeconds(10));
    }

    public AwsSecretsManagerOptions withEndpointOverride(@Nullable URI endpoint) {
        return new AwsSecretsManagerOptions(region, endpoint, credentials, maxAttempts, apiCallTimeout);
    }

    public AwsSecretsManagerOptions withCredentials(@Nullable AwsCredentialsProvider provider) {
        return new AwsSecretsManagerOptions(region, endpointOverride, provider, maxAttempts, apiCallTimeout);
    }

    public AwsSecretsManagerOptions withRetries(int maxAttempts, Duration apiCallTimeout) {
        return new AwsSecretsManagerOptions(region, endpointOverride, credentials, maxAttempts, apiCallTimeout);
    }
}
