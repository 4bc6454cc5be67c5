package dev.warden.secrets.aws;

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
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code aws-sm://<name-or-arn>[#<json-field>]} through the AWS SDK v2 {@link SecretsManagerClient}
 * ({@code GetSecretValue} of the {@code AWSCURRENT} version).
 *
 * <p>Without a field the whole {@code SecretString} is the value; with one, the string is read as a JSON object
 * (the layout the console's "key/value" editor and RDS rotation produce) and the field is taken from it.
 */
public final class AwsSecretsManagerSecretSource implements SecretSource {

    public static final String SCHEME = "aws-sm";

    // Names: 1-512 of letters, digits and /_+=.@- (AWS CreateSecret). ARNs: any partition.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    private static final Pattern ARN =
            Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SecretsManagerClient client;

    public AwsSecretsManagerSecretSource(AwsSecretsManagerOptions options) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                // One explicit HTTP client: the module ships only the JDK URLConnection one.
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(options.apiCallTimeout())
                        .build())
                .credentialsProvider(options.credentials() != null ? options.credentials()
                        : DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(c -> c
                        .retryStrategy(r -> r.maxAttempts(options.maxAttempts()))
                        .apiCallTimeout(options.apiCallTimeout()));
        if (options.region() != null) {
            builder.region(Region.of(options.region()));
        }
        if (options.endpointOverride() != null) {
            builder.endpointOverride(options.endpointOverride());
        }
        this.client = builder.build();
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public void validate(SecretReference reference) {
        String id = reference.location();
        boolean arn = id.startsWith("arn:");
        if (arn ? !ARN.matcher(id).matches() : !NAME.matcher(id).matches()) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference + "' has "
                    + (arn ? "a malformed ARN" : "an invalid secret name") + " (expected: aws-sm://<name>[#field] with "
                    + "1-512 letters, digits and /_+=.@- or aws-sm://arn:aws:secretsmanager:<region>:<account>:"
                    + "secret:<name>[#field])");
        }
    }

    @Override
    public SecretValue fetch(SecretReference reference) {
        validate(reference);
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(r -> r.secretId(reference.location()));
        } catch (ResourceNotFoundException e) {
            throw new SecretNotFoundException(reference, "AWS Secrets Manager has no secret '" + reference + "' ("
                    + describe(e) + ")", e);
        } catch (InvalidRequestException e) {
            // Secrets scheduled for deletion answer InvalidRequestException: for us the secret is gone.
            throw new SecretNotFoundException(reference, "AWS Secrets Manager refused to read '" + reference + "' ("
                    + describe(e) + ")", e);
        } catch (DecryptionFailureException e) {
            throw new SecretAccessDeniedException(reference, "AWS KMS could not decrypt '" + reference + "' ("
                    + describe(e) + "; expected: kms:Decrypt on the secret's key)", e);
        } catch (AwsServiceException e) {
            throw classify(reference, e);
        } catch (SdkException e) {
            throw new SecretBackendException(reference, "AWS Secrets Manager did not answer for '" + reference
                    + "': " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        if (reference.field() == null) {
            if (response.secretString() != null) {
                return SecretValue.of(response.secretString());
            }
            SdkBytes binary = response.secretBinary();
            if (binary == null) {
                throw new SecretNotFoundException(reference, "secret '" + reference
                        + "' has neither SecretString nor SecretBinary");
            }
            byte[] bytes = binary.asByteArray();
            try {
                return SecretValue.ofUtf8(bytes);
            } catch (IllegalArgumentException e) {
                throw new SecretNotFoundException(reference, "secret '" + reference
                        + "' is binary and not UTF-8 text (expected: a SecretString)");
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
        if (response.secretString() == null) {
            throw new SecretNotFoundException(reference, "secret '" + reference + "' is binary, so it has no field '"
                    + reference.field() + "' (expected: a JSON SecretString)");
        }
        Map<String, Object> fields;
        try {
            fields = JSON.readValue(response.secretString(), JSON.getTypeFactory().constructMapType(Map.class,
                    String.class, Object.class));
        } catch (JacksonException e) {
            // No cause: Jackson's message quotes the text it failed on, which is the secret.
            throw new SecretNotFoundException(reference, "secret '" + reference + "' is not a JSON object, so it has "
                    + "no field '" + reference.field() + "' (expected: {\"" + reference.field() + "\": \"...\"})");
        }
        return SecretFields.select(reference, fields);
    }

    /** ListSecrets with one result: any answer from AWS, a refusal included, proves the endpoint is reachable. */
    @Override
    public SecretSourceHealth probe() {
        try {
            client.listSecrets(r -> r.maxResults(1));
            return SecretSourceHealth.up(SCHEME, "ListSecrets answered");
        } catch (AwsServiceException e) {
            return e.statusCode() >= 500
                    ? SecretSourceHealth.down(SCHEME, "AWS answered " + describe(e))
                    : SecretSourceHealth.up(SCHEME, "reachable; ListSecrets refused (" + describe(e) + ")");
        } catch (SdkException e) {
            return SecretSourceHealth.down(SCHEME, "unreachable: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private static SecretException classify(SecretReference reference, AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
        boolean denied = e.statusCode() == 403 || code.equals("AccessDeniedException")
                || code.equals("UnrecognizedClientException") || code.equals("InvalidSignatureException")
                || code.equals("ExpiredTokenException") || code.equals("InvalidClientTokenId");
        if (denied) {
            return new SecretAccessDeniedException(reference, "AWS Secrets Manager refused to read '" + reference
                    + "' (" + describe(e) + "; expected: secretsmanager:GetSecretValue on the secret)", e);
        }
        return new SecretBackendException(reference, "AWS Secrets Manager failed for '" + reference + "' ("
                + describe(e) + ")", e);
    }

    private static String describe(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "?" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return e.statusCode() + " " + code + (message == null ? "" : ": " + message);
    }
}
