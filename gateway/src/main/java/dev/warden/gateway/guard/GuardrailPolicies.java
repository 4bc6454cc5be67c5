package dev.warden.gateway.guard;

import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.config.ConfigurationError;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.credentials.CredentialResolver;
import dev.warden.guardrails.Direction;
import dev.warden.guardrails.Guardrail;
import dev.warden.guardrails.GuardrailChain;
import dev.warden.guardrails.GuardrailPolicy;
import dev.warden.guardrails.azure.AzureContentSafetyGuardrail;
import dev.warden.guardrails.bedrock.BedrockGuardrail;
import dev.warden.guardrails.patronus.PatronusGuardrail;
import dev.warden.guardrails.pii.EntityType;
import dev.warden.guardrails.pii.PiiEngine;
import dev.warden.guardrails.pii.PiiRedactionGuardrail;
import dev.warden.guardrails.pii.PiiRedactor;
import dev.warden.guardrails.pii.RedactionMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The guardrails configured under {@code warden.guardrails}, one chain per named policy, and the choice of policy for
 * a key. Vendor credentials are secret references resolved on each call (rotation needs no restart).
 */
public final class GuardrailPolicies {
    public static final String NONE = "none";

    private final Map<String, GuardrailChain> chains;
    private final Map<String, GuardrailPolicy> policies;
    private final String defaultPolicy;
    private final PiiRedactor redactor;

    public GuardrailPolicies(WardenProperties properties, CredentialResolver credentials) {
        WardenProperties.Guardrails config = properties.guardrails();
        this.redactor = redactor(config.pii(), credentials);
        List<Guardrail> available = new ArrayList<>();
        Set<EntityType> blockOn = EnumSet.noneOf(EntityType.class);
        for (String type : config.pii().blockOn()) {
            try {
                blockOn.add(EntityType.valueOf(type.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationError("warden.guardrails.pii.block-on", type, "one of "
                        + java.util.Arrays.toString(EntityType.values()));
            }
        }
        available.add(new PiiRedactionGuardrail(PiiRedactionGuardrail.NAME, redactor, blockOn));
        if (config.bedrock() != null) {
            WardenProperties.GuardBedrock b = config.bedrock();
            available.add(new BedrockGuardrail(new BedrockGuardrail.Config("bedrock", b.guardrailId(),
                    b.guardrailVersion(), Region.of(b.region()), b.endpointOverride(), DefaultCredentialsProvider.builder().build(),
                    b.timeout())));
        }
        if (config.azureContentSafety() != null) {
            WardenProperties.GuardAzure a = config.azureContentSafety();
            AzureContentSafetyGuardrail.Auth auth = "bearer-token".equals(a.auth())
                    ? AzureContentSafetyGuardrail.Auth.BEARER_TOKEN : AzureContentSafetyGuardrail.Auth.SUBSCRIPTION_KEY;
            available.add(new AzureContentSafetyGuardrail(new AzureContentSafetyGuardrail.Config("azure-content-safety",
                    a.endpoint(), a.apiVersion(), auth, secret(credentials, a.credential()),
                    a.categories() == null ? AzureContentSafetyGuardrail.Config.ALL_CATEGORIES : a.categories(),
                    a.severityThreshold(), false, List.of(), a.shieldPrompt(), a.timeout())));
        }
        if (config.patronus() != null) {
            WardenProperties.GuardPatronus p = config.patronus();
            List<PatronusGuardrail.Evaluator> evaluators = p.evaluators().stream()
                    .map(e -> new PatronusGuardrail.Evaluator(e.evaluator(), e.criteria())).toList();
            PatronusGuardrail.Config defaults = PatronusGuardrail.Config.of(secret(credentials, p.apiKey()),
                    evaluators.toArray(PatronusGuardrail.Evaluator[]::new));
            available.add(new PatronusGuardrail(new PatronusGuardrail.Config("patronus",
                    p.endpoint() != null ? p.endpoint() : defaults.endpoint(), defaults.apiKey(), evaluators,
                    "any-pass".equals(p.strategy()) ? PatronusGuardrail.SuccessStrategy.ANY_PASS
                            : PatronusGuardrail.SuccessStrategy.ALL_PASS, Map.of(), p.timeout())));
        }

        Map<String, GuardrailPolicy> policies = new LinkedHashMap<>();
        policies.put(NONE, GuardrailPolicy.of(NONE));
        // Without configuration: redact personal data and secrets in prompts before they leave.
        policies.put("default", GuardrailPolicy.of("default",
                GuardrailPolicy.Step.of(PiiRedactionGuardrail.NAME).on(Direction.INPUT)));
        config.policies().forEach((name, steps) -> {
            List<GuardrailPolicy.Step> converted = new ArrayList<>();
            for (WardenProperties.GuardStep step : steps) {
                Direction first = null;
                List<Direction> rest = new ArrayList<>();
                for (String d : step.directions()) {
                    Direction direction = Direction.valueOf(d.toUpperCase(Locale.ROOT));
                    if (first == null) {
                        first = direction;
                    } else {
                        rest.add(direction);
                    }
                }
                converted.add(GuardrailPolicy.Step.of(step.guardrail())
                        .on(first, rest.toArray(Direction[]::new))
                        .mode(GuardrailPolicy.Mode.valueOf(step.mode().toUpperCase(Locale.ROOT)))
                        .timeout(step.timeout())
                        .onFailure(step.onFailure().toLowerCase(Locale.ROOT).replace('_', '-').equals("fail-open")
                                ? GuardrailPolicy.OnFailure.FAIL_OPEN : GuardrailPolicy.OnFailure.FAIL_CLOSED));
            }
            policies.put(name, new GuardrailPolicy(name, converted));
        });
        Map<String, GuardrailChain> chains = new LinkedHashMap<>();
        for (GuardrailPolicy policy : policies.values()) {
            try {
                chains.put(policy.name(), GuardrailChain.of(policy, available));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationError("warden.guardrails.policies." + policy.name(), policy.name(), e.getMessage());
            }
        }
        if (!policies.containsKey(config.defaultPolicy())) {
            throw new ConfigurationError("warden.guardrails.default-policy", config.defaultPolicy(),
                    "one of " + policies.keySet());
        }
        this.policies = Map.copyOf(policies);
        this.chains = Map.copyOf(chains);
        this.defaultPolicy = config.defaultPolicy();
    }

    /** The policy for a key: its metadata {@code guardrail_policy}, else the default. */
    public GuardrailPolicy policyFor(@Nullable VirtualKey key) {
        String name = key == null ? null : key.metadata().get("guardrail_policy");
        return policies.getOrDefault(name == null ? defaultPolicy : name, policies.get(defaultPolicy));
    }

    public GuardrailChain chain(GuardrailPolicy policy) {
        return chains.get(policy.name());
    }

    public boolean has(String policy) {
        return policies.containsKey(policy);
    }

    /** The redactor used for streamed answers (the same engine and mode as the {@code pii} guardrail). */
    public PiiRedactor redactor() {
        return redactor;
    }

    private static PiiRedactor redactor(WardenProperties.GuardPii pii, CredentialResolver credentials) {
        PiiEngine engine = PiiEngine.of(EnumSet.allOf(EntityType.class), pii.minScore());
        return switch (pii.mode()) {
            case "token" -> PiiRedactor.of(engine, RedactionMode.TOKEN);
            case "hash" -> {
                Supplier<String> key = secret(credentials, pii.hashKey());
                yield PiiRedactor.hashing(engine, () -> key.get().getBytes(StandardCharsets.UTF_8));
            }
            default -> PiiRedactor.of(engine, RedactionMode.PLACEHOLDER);
        };
    }

    private static Supplier<String> secret(CredentialResolver credentials, @Nullable String reference) {
        return () -> {
            try {
                String value = credentials.reveal(reference);
                if (value == null) {
                    throw new IllegalStateException("guardrail credential is not configured");
                }
                return value;
            } catch (CredentialResolver.CredentialUnavailableException e) {
                throw new IllegalStateException("guardrail credential unavailable: " + e.getMessage());
            }
        };
    }

}
