package dev.warden.guardrails.bedrock;

import static java.util.Objects.requireNonNull;

import dev.warden.guardrails.Direction;
import dev.warden.guardrails.Guardrail;
import dev.warden.guardrails.GuardrailException;
import dev.warden.guardrails.Inspection;
import dev.warden.guardrails.Span;
import dev.warden.guardrails.TextPart;
import dev.warden.guardrails.Verdict;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.model.ApplyGuardrailRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ApplyGuardrailResponse;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAction;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentFilter;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentSource;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailCustomWord;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailManagedWord;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailPiiEntityFilter;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailRegexFilter;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTopic;

/**
 * AWS Bedrock Guardrails through the AWS SDK v2 {@code ApplyGuardrail} call
 * ({@code POST /guardrail/{id}/version/{version}/apply}, SigV4-signed).
 *
 * <p>Each part goes as one text content block, with source INPUT or OUTPUT. The answer maps as follows:
 * <ul>
 *   <li>{@code action: NONE} → Allow;</li>
 *   <li>any assessment entry (topic, content filter, word, PII entity, regex, contextual grounding) with action
 *       {@code BLOCKED} → Block, category {@code content:HATE}, {@code topic:<name>}, {@code pii:EMAIL} ...; score from
 *       the filter confidence (HIGH 1.0, MEDIUM 0.66, LOW 0.33) or 1.0;</li>
 *   <li>only {@code ANONYMIZED} PII entities and regexes → Redact, with spans found by locating each reported
 *       {@code match} in the parts, replaced by {@code {TYPE}} as Bedrock itself masks;</li>
 *   <li>{@code GUARDRAIL_INTERVENED} with nothing recognisable → Block with the action reason.</li>
 * </ul>
 * SDK retries are off: the chain's time budget and fail-open/fail-closed rule own retry decisions.
 */
public final class BedrockGuardrail implements Guardrail, AutoCloseable {

    /**
     * Configuration.
     *
     * @param name the guardrail's name in policies
     * @param guardrailId the guardrail identifier or ARN
     * @param guardrailVersion a version number or {@code DRAFT}
     * @param region the AWS region
     * @param endpointOverride a VPC endpoint or test server; null for the regional endpoint
     * @param credentials the credentials provider (static keys from a secret source, the default chain, IRSA ...)
     * @param timeout the whole call's budget (SDK api-call timeout)
     */
    public record Config(String name, String guardrailId, String guardrailVersion, Region region,
            @Nullable URI endpointOverride, AwsCredentialsProvider credentials, Duration timeout) {
        public Config {
            requireNonNull(name, "name");
            requireNonNull(guardrailId, "guardrailId");
            if (guardrailId.isBlank()) {
                throw new IllegalArgumentException("guardrailId: '' (expected: a guardrail id or ARN)");
            }
            requireNonNull(guardrailVersion, "guardrailVersion");
            if (!guardrailVersion.equals("DRAFT") && !guardrailVersion.matches("[1-9][0-9]{0,7}")) {
                throw new IllegalArgumentException("guardrailVersion: " + guardrailVersion
                        + " (expected: DRAFT or a version number)");
            }
            requireNonNull(region, "region");
            requireNonNull(credentials, "credentials");
            requireNonNull(timeout, "timeout");
        }
    }

    private final Config config;
    private final BedrockRuntimeClient client;

    public BedrockGuardrail(Config config) {
        this.config = requireNonNull(config, "config");
        BedrockRuntimeClientBuilder builder = BedrockRuntimeClient.builder()
                .region(config.region())
                .credentialsProvider(config.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.timeout())
                        .socketTimeout(config.timeout()))
                .overrideConfiguration(o -> o
                        .apiCallTimeout(config.timeout())
                        .retryStrategy(DefaultRetryStrategy.doNotRetry()));
        if (config.endpointOverride() != null) {
            builder.endpointOverride(config.endpointOverride());
        }
        this.client = builder.build();
    }

    /** For callers that build their own client (custom HTTP client, proxies, metrics). */
    public BedrockGuardrail(Config config, BedrockRuntimeClient client) {
        this.config = requireNonNull(config, "config");
        this.client = requireNonNull(client, "client");
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Verdict inspect(Inspection in) throws GuardrailException {
        List<GuardrailContentBlock> content = new ArrayList<>();
        for (TextPart p : in.parts()) {
            content.add(GuardrailContentBlock.fromText(GuardrailTextBlock.builder().text(p.text()).build()));
        }
        if (content.isEmpty()) {
            return Verdict.allow();
        }
        ApplyGuardrailRequest request = ApplyGuardrailRequest.builder()
                .guardrailIdentifier(config.guardrailId())
                .guardrailVersion(config.guardrailVersion())
                .source(in.direction() == Direction.INPUT ? GuardrailContentSource.INPUT : GuardrailContentSource.OUTPUT)
                .content(content)
                .build();
        ApplyGuardrailResponse response;
        try {
            response = client.applyGuardrail(request);
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            int status = e.statusCode();
            boolean throttled = status == 429 || "ThrottlingException".equals(code) || e.isThrottlingException();
            throw new GuardrailException(config.name() + ": HTTP " + status + (code == null ? "" : " " + code),
                    status, throttled, null);
        } catch (ApiCallTimeoutException e) {
            throw new GuardrailException(config.name() + ": no answer within " + config.timeout().toMillis() + "ms");
        } catch (SdkException e) {
            // Client-side failures (connection refused, unreadable answer); the message may name the endpoint only.
            throw new GuardrailException(config.name() + ": " + e.getClass().getSimpleName(), 0, false, null);
        }
        return verdict(response, in.parts());
    }

    private Verdict verdict(ApplyGuardrailResponse response, List<TextPart> parts) {
        if (response.action() != GuardrailAction.GUARDRAIL_INTERVENED) {
            return Verdict.allow();
        }
        List<Verdict.Block> blocks = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        for (GuardrailAssessment a : response.assessments()) {
            if (a.topicPolicy() != null) {
                for (GuardrailTopic t : a.topicPolicy().topics()) {
                    if ("BLOCKED".equals(t.actionAsString())) {
                        blocks.add(new Verdict.Block("denied topic " + t.name(), "topic:" + t.name(), 1.0));
                    }
                }
            }
            if (a.contentPolicy() != null) {
                for (GuardrailContentFilter f : a.contentPolicy().filters()) {
                    if ("BLOCKED".equals(f.actionAsString())) {
                        blocks.add(new Verdict.Block("content filter " + f.typeAsString() + " confidence "
                                + f.confidenceAsString(), "content:" + f.typeAsString(),
                                confidence(f.confidenceAsString())));
                    }
                }
            }
            if (a.wordPolicy() != null) {
                for (GuardrailCustomWord w : a.wordPolicy().customWords()) {
                    if ("BLOCKED".equals(w.actionAsString())) {
                        blocks.add(new Verdict.Block("custom word", "word:custom", 1.0));
                    }
                }
                for (GuardrailManagedWord w : a.wordPolicy().managedWordLists()) {
                    if ("BLOCKED".equals(w.actionAsString())) {
                        blocks.add(new Verdict.Block("managed word list " + w.typeAsString(),
                                "word:" + w.typeAsString(), 1.0));
                    }
                }
            }
            if (a.sensitiveInformationPolicy() != null) {
                for (GuardrailPiiEntityFilter e : a.sensitiveInformationPolicy().piiEntities()) {
                    if ("BLOCKED".equals(e.actionAsString())) {
                        blocks.add(new Verdict.Block("sensitive information " + e.typeAsString(),
                                "pii:" + e.typeAsString(), 1.0));
                    } else if ("ANONYMIZED".equals(e.actionAsString()) && e.match() != null) {
                        locate(parts, e.match(), e.typeAsString(), spans);
                    }
                }
                for (GuardrailRegexFilter r : a.sensitiveInformationPolicy().regexes()) {
                    String type = r.name() == null ? "REGEX" : r.name();
                    if ("BLOCKED".equals(r.actionAsString())) {
                        blocks.add(new Verdict.Block("sensitive information regex " + type, "regex:" + type, 1.0));
                    } else if ("ANONYMIZED".equals(r.actionAsString()) && r.match() != null) {
                        locate(parts, r.match(), type, spans);
                    }
                }
            }
            if (a.contextualGroundingPolicy() != null) {
                a.contextualGroundingPolicy().filters().forEach(f -> {
                    if ("BLOCKED".equals(f.actionAsString())) {
                        double score = f.score() == null ? 1.0 : Math.max(0, Math.min(1, f.score()));
                        blocks.add(new Verdict.Block("contextual grounding " + f.typeAsString(),
                                "grounding:" + f.typeAsString(), score));
                    }
                });
            }
        }
        if (!blocks.isEmpty()) {
            return blocks.stream().max(Comparator.comparingDouble(Verdict.Block::score)).orElseThrow();
        }
        if (!spans.isEmpty()) {
            return new Verdict.Redact(disjoint(spans));
        }
        String reason = response.actionReason() == null ? "guardrail intervened" : response.actionReason();
        return new Verdict.Block(reason.length() > 200 ? reason.substring(0, 200) : reason, "intervened", 1.0);
    }

    private static double confidence(@Nullable String c) {
        return switch (c == null ? "" : c) {
            case "HIGH" -> 1.0;
            case "MEDIUM" -> 0.66;
            case "LOW" -> 0.33;
            default -> 0.0;
        };
    }

    /** Every occurrence of a reported match, in every part. */
    private static void locate(List<TextPart> parts, String match, String type, List<Span> spans) {
        if (match.isEmpty()) {
            return;
        }
        for (int p = 0; p < parts.size(); p++) {
            String text = parts.get(p).text();
            int i = text.indexOf(match);
            while (i >= 0) {
                spans.add(new Span(p, i, i + match.length(), type, "{" + type + "}"));
                i = text.indexOf(match, i + match.length());
            }
        }
    }

    /** Drops spans overlapping an earlier, longer one (the same value reported twice, or nested matches). */
    private static List<Span> disjoint(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingInt(Span::part).thenComparingInt(Span::start)
                .thenComparing(Comparator.comparingInt(Span::length).reversed()));
        List<Span> out = new ArrayList<>();
        for (Span s : sorted) {
            Span last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last == null || last.part() != s.part() || s.start() >= last.end()) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "BedrockGuardrail[" + config.name() + " " + config.guardrailId() + ":" + config.guardrailVersion() + "]";
    }
}
