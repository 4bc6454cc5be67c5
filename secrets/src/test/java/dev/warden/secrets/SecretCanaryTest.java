package dev.warden.secrets;

import dev.warden.secrets.aws.AwsSecretsManagerOptions;
import dev.warden.secrets.aws.AwsSecretsManagerSecretSource;
import dev.warden.secrets.aws.SecretsManagerTestServer;
import dev.warden.secrets.azure.AzureKeyVaultOptions;
import dev.warden.secrets.vault.VaultAuthentication;
import dev.warden.secrets.vault.VaultOptions;
import dev.warden.secrets.vault.VaultSecretSource;
import dev.warden.secrets.vault.VaultTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recognisable provider key, configured the way the gateway will configure one, is sent through every path:
 * success, backend errors, refusal, timeout, wrong field, non-JSON secret, bad configuration, stale serving, fail
 * closed, health, metrics events, toString, Jackson 2 and 3, and exceptions logged with stack traces, with every
 * library logging at DEBUG. Afterwards the key must appear nowhere that was produced.
 */
class SecretCanaryTest {

    private static final String CANARY = "sk-live-WARDEN-CANARY-7f3a9c0e51d2";
    private static final Logger gatewayLog = LoggerFactory.getLogger("dev.warden.gateway.routing");

    static {
        CapturedLogs.install();
    }

    private final MutableClock clock = new MutableClock();
    private final List<String> produced = new CopyOnWriteArrayList<>();
    private VaultTestServer vault;
    private SecretsManagerTestServer aws;
    private SecretResolver resolver;

    @BeforeEach
    void start() {
        CapturedLogs.clear();
        String secretId = "approle-" + CANARY;
        vault = new VaultTestServer(secretId);
        vault.putKv2("secret", "providers/openai", Map.of("api_key", CANARY, "org", CANARY + "-org"));
        String awsKey = "aws-" + CANARY;
        aws = new SecretsManagerTestServer(awsKey);
        aws.put("providers/anthropic", CANARY);
        resolver = SecretResolver.builder()
                .source(new VaultSecretSource(VaultOptions.of(URI.create(vault.address()),
                        new VaultAuthentication.AppRole(VaultTestServer.ROLE_ID, SecretValue.of(secretId)))))
                .source(new AwsSecretsManagerSecretSource(AwsSecretsManagerOptions.of(SecretsManagerTestServer.REGION)
                        .withEndpointOverride(URI.create(aws.endpoint()))
                        .withCredentials(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(SecretsManagerTestServer.ACCESS_KEY_ID, awsKey)))
                        .withRetries(1, Duration.ofSeconds(2))))
                .ttl(Duration.ofMinutes(5)).refreshAhead(Duration.ofMinutes(1)).maxStale(Duration.ofMinutes(10))
                .retryInterval(Duration.ofSeconds(1))
                .fetchTimeout(Duration.ofSeconds(3))
                .clock(clock)
                .listener(new SecretResolverListener() {
                    @Override
                    public void cacheHit(SecretReference reference) {
                        produced.add("hit " + reference);
                    }

                    @Override
                    public void fetched(SecretReference reference, Duration latency, boolean success) {
                        produced.add("fetched " + reference + " " + latency + " " + success);
                    }

                    @Override
                    public void refreshFailed(SecretReference reference, SecretException failure) {
                        produced.add("refresh failed " + reference + " " + SecretSourceContract.stackTrace(failure));
                    }

                    @Override
                    public void staleServed(SecretReference reference, Duration age) {
                        produced.add("stale " + reference + " " + age);
                    }

                    @Override
                    public void failedClosed(SecretReference reference, SecretUnavailableException failure) {
                        produced.add("failed closed " + reference + " " + SecretSourceContract.stackTrace(failure));
                    }
                })
                .build();
    }

    @AfterEach
    void stop() {
        resolver.close();
        vault.close();
        aws.close();
    }

    /** What the gateway does with a failure: log it with its stack trace and keep the text for the response. */
    private void attempt(String reference) {
        try (SecretValue key = resolver.resolve(reference)) {
            produced.add("resolved " + key + " " + String.format("%s", key));
            assertThat(key.reveal()).contains("WARDEN-CANARY");
        } catch (SecretException e) {
            // Log e.reference(), never the configured text: that text may be a key pasted by mistake.
            gatewayLog.error("provider key {} unavailable", e.reference(), e);
            produced.add(e.getMessage());
            produced.add(SecretSourceContract.stackTrace(e));
        }
    }

    @Test
    void canaryAppearsNowhere() throws Exception {
        String openai = "vault://secret/providers/openai#api_key";
        String anthropic = "aws-sm://providers/anthropic";

        String org = "vault://secret/providers/openai#org";
        attempt(openai);                                       // success, with login
        attempt(org);
        attempt(anthropic);                                    // success, SigV4 signed
        attempt("vault://secret/providers/openai#apikey");     // wrong field
        attempt("aws-sm://providers/anthropic#api_key");       // field of a secret that is not JSON
        attempt("vault://secret/providers/missing#api_key");   // not found
        attempt(CANARY);                                       // a key pasted where a reference belongs
        attempt("env://" + "OPENAI_API_KEY");                  // a scheme nobody registered

        vault.deny("secret/data/providers/openai");
        try {
            resolver.refresh(org);                             // forced refresh refused: keeps the cached value
        } catch (SecretException e) {
            gatewayLog.warn("forced refresh of {} failed", org, e);
            produced.add(SecretSourceContract.stackTrace(e));
        }
        attempt(org);                                          // cached hit despite the refusal

        clock.advance(Duration.ofMinutes(5));
        attempt(anthropic);                                    // expired, refetched: AWS still answers
        attempt(openai);                                       // expired and refused: fail closed

        aws.http().stop();
        clock.advance(Duration.ofMinutes(5));
        attempt(anthropic);                                    // backend down: stale served
        clock.advance(Duration.ofMinutes(11));
        attempt(anthropic);                                    // past the stale limit: fail closed

        vault.putKv2("secret", "providers/mistral", Map.of("api_key", CANARY));
        vault.http().delay(Duration.ofSeconds(4));
        attempt("vault://secret/providers/mistral#api_key");   // timeout
        vault.http().delay(Duration.ZERO);

        for (SecretSourceHealth health : resolver.health()) {
            produced.add(health.toString());
        }
        produced.add(resolver.refreshAll().toString());

        // Option records carry bootstrap credentials; their toString goes into startup logs.
        produced.add(VaultOptions.of(URI.create(vault.address()),
                new VaultAuthentication.AppRole("role", SecretValue.of(CANARY))).toString());
        produced.add(VaultOptions.of(URI.create(vault.address()),
                new VaultAuthentication.Token(SecretValue.of(CANARY))).toString());
        produced.add(AzureKeyVaultOptions.defaults().withClientSecret("tenant", "client", SecretValue.of(CANARY))
                .toString());
        produced.add(AwsSecretsManagerOptions.of("eu-central-1").withCredentials(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAEXAMPLE", CANARY))).toString());

        try (SecretValue value = SecretValue.of(CANARY)) {
            record ProviderConfig(String name, SecretValue apiKey) {
            }
            ProviderConfig config = new ProviderConfig("openai", value);
            produced.add(config.toString());
            produced.add(jackson3(value));
            produced.add(jackson3(config));
            produced.add(jackson2(value));
            produced.add(jackson2(config));
            gatewayLog.debug("configured {} with key {}", config.name(), value);
        }

        List<String> everything = new ArrayList<>(produced);
        everything.addAll(CapturedLogs.lines());
        assertThat(String.join("\n", everything))
                .as("the paths above produced output")
                .contains("failed closed", "stale", "no answer from 'vault' within PT3S", "has no field 'apikey'",
                        "is not a JSON object", "the text is not shown", "expected one of: vault, aws-sm")
                .doesNotContain("WARDEN-CANARY");
    }

    private static String jackson3(Object o) {
        try {
            return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(o);
        } catch (RuntimeException e) {
            return "jackson3 refused: " + SecretSourceContract.stackTrace(e);
        }
    }

    private static String jackson2(Object o) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o);
        } catch (Exception e) {
            return "jackson2 refused: " + SecretSourceContract.stackTrace(e);
        }
    }
}
