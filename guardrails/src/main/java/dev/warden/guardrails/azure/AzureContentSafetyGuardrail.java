package dev.warden.guardrails.azure;

import static java.util.Objects.requireNonNull;

import dev.warden.guardrails.Direction;
import dev.warden.guardrails.Guardrail;
import dev.warden.guardrails.GuardrailException;
import dev.warden.guardrails.Inspection;
import dev.warden.guardrails.TextPart;
import dev.warden.guardrails.Verdict;
import dev.warden.guardrails.json.Json;
import dev.warden.guardrails.json.JsonHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;


/**
 * Azure AI Content Safety through its REST API.
 *
 * <ul>
 *   <li>{@code POST {endpoint}/contentsafety/text:analyze?api-version=2024-09-01} with
 *       {@code {"text", "categories", "blocklistNames", "haltOnBlocklistHit", "outputType"}} for each part (in slices
 *       of at most 10,000 chars, the service's limit). A category whose severity reaches its threshold, or a
 *       blocklist hit, blocks.</li>
 *   <li>On input, when enabled, {@code POST {endpoint}/contentsafety/text:shieldPrompt?api-version=2024-09-01} with
 *       {@code {"userPrompt", "documents"}}: message parts are the user prompt, tool results the documents (that is
 *       where indirect prompt injection arrives). {@code attackDetected} blocks.</li>
 * </ul>
 * Authentication: the resource key in {@code Ocp-Apim-Subscription-Key}, or an Entra ID access token as
 * {@code Authorization: Bearer}. The credential is fetched from its supplier on each call and never logged.
 */
public final class AzureContentSafetyGuardrail implements Guardrail {

    /** The service's maximum text length per call. */
    static final int MAX_CHARS = 10_000;

    /** How the credential is sent. */
    public enum Auth { SUBSCRIPTION_KEY, BEARER_TOKEN }

    /**
     * Configuration.
     *
     * @param name the guardrail's name in policies
     * @param endpoint the resource endpoint, e.g. {@code https://my-resource.cognitiveservices.azure.com}
     * @param apiVersion the REST API version, {@code 2024-09-01}
     * @param auth subscription key or bearer token
     * @param credential supplies the key or token
     * @param categories categories to analyse (Hate, SelfHarm, Sexual, Violence)
     * @param severityThreshold the severity from which a category blocks (0..7)
     * @param eightSeverityLevels ask for 0..7 severities instead of 0, 2, 4, 6
     * @param blocklistNames custom blocklists to check
     * @param shieldPrompt also run Prompt Shields on input
     * @param timeout per HTTP call
     */
    public record Config(String name, URI endpoint, String apiVersion, Auth auth, Supplier<String> credential,
            List<String> categories, int severityThreshold, boolean eightSeverityLevels, List<String> blocklistNames,
            boolean shieldPrompt, Duration timeout) {

        public static final List<String> ALL_CATEGORIES = List.of("Hate", "SelfHarm", "Sexual", "Violence");
        private static final Set<String> KNOWN = Set.copyOf(ALL_CATEGORIES);

        public Config {
            requireNonNull(name, "name");
            requireNonNull(endpoint, "endpoint");
            requireNonNull(apiVersion, "apiVersion");
            requireNonNull(auth, "auth");
            requireNonNull(credential, "credential");
            categories = List.copyOf(categories);
            for (String c : categories) {
                if (!KNOWN.contains(c)) {
                    throw new IllegalArgumentException("categories: " + c + " (expected one of " + ALL_CATEGORIES + ")");
                }
            }
            if (severityThreshold < 0 || severityThreshold > 7) {
                throw new IllegalArgumentException("severityThreshold: " + severityThreshold + " (expected: 0..7)");
            }
            blocklistNames = List.copyOf(blocklistNames);
            requireNonNull(timeout, "timeout");
        }

        /** All four categories, severity 4 (medium) and above blocks, Prompt Shields on, 2 s per call. */
        public static Config of(URI endpoint, Auth auth, Supplier<String> credential) {
            return new Config("azure-content-safety", endpoint, "2024-09-01", auth, credential, ALL_CATEGORIES, 4,
                    false, List.of(), true, Duration.ofSeconds(2));
        }
    }

    private final Config config;
    private final HttpClient http;

    public AzureContentSafetyGuardrail(Config config) {
        this(config, JsonHttp.newClient(config.timeout()));
    }

    public AzureContentSafetyGuardrail(Config config, HttpClient http) {
        this.config = requireNonNull(config, "config");
        this.http = requireNonNull(http, "http");
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Verdict inspect(Inspection in) throws GuardrailException {
        if (config.shieldPrompt() && in.direction() == Direction.INPUT) {
            Verdict shield = shieldPrompt(in.parts());
            if (shield instanceof Verdict.Block) {
                return shield;
            }
        }
        for (TextPart part : in.parts()) {
            String text = part.text();
            for (int from = 0; from < text.length(); from += MAX_CHARS) {
                String slice = text.substring(from, Math.min(text.length(), from + MAX_CHARS));
                if (slice.isBlank()) {
                    continue;
                }
                Verdict v = analyze(slice);
                if (v instanceof Verdict.Block) {
                    return v;
                }
            }
        }
        return Verdict.allow();
    }

    private Verdict analyze(String text) throws GuardrailException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        body.put("categories", config.categories());
        if (!config.blocklistNames().isEmpty()) {
            body.put("blocklistNames", config.blocklistNames());
            body.put("haltOnBlocklistHit", false);
        }
        body.put("outputType", config.eightSeverityLevels() ? "EightSeverityLevels" : "FourSeverityLevels");
        Map<String, Object> answer = JsonHttp.post(http, config.name(), uri("text:analyze"), headers(), body,
                config.timeout());
        for (Object o : Json.array(answer, "blocklistsMatch")) {
            if (o instanceof Map<?, ?> match) {
                Object list = match.get("blocklistName");
                return new Verdict.Block("text matches blocklist " + list, "Blocklist", 1.0);
            }
        }
        Verdict.@org.jspecify.annotations.Nullable Block worst = null;
        double worstSeverity = -1;
        for (Object o : Json.array(answer, "categoriesAnalysis")) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("category") instanceof String category)) {
                throw new GuardrailException(config.name() + ": categoriesAnalysis entry without a category");
            }
            if (!(m.get("severity") instanceof Number severity)) {
                continue; // the service omits severity for categories it did not analyse
            }
            double sev = severity.doubleValue();
            if (sev >= config.severityThreshold() && sev > worstSeverity) {
                worstSeverity = sev;
                worst = new Verdict.Block(category + " severity " + (int) sev + " (threshold "
                        + config.severityThreshold() + ")", category, Math.min(1.0, sev / 7.0));
            }
        }
        return worst != null ? worst : Verdict.allow();
    }

    private Verdict shieldPrompt(List<TextPart> parts) throws GuardrailException {
        StringBuilder prompt = new StringBuilder();
        List<String> documents = new ArrayList<>();
        for (TextPart p : parts) {
            if (p.kind() == TextPart.Kind.TOOL_RESULT) {
                documents.add(p.text());
            } else {
                if (!prompt.isEmpty()) {
                    prompt.append('\n');
                }
                prompt.append(p.text());
            }
        }
        if (prompt.isEmpty() && documents.isEmpty()) {
            return Verdict.allow();
        }
        // The user prompt is checked in slices within the service limit; documents go with the first slice.
        String all = prompt.toString();
        int from = 0;
        do {
            String slice = all.substring(from, Math.min(all.length(), from + MAX_CHARS));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("userPrompt", slice);
            body.put("documents", from == 0 ? documents : List.of());
            Map<String, Object> answer = JsonHttp.post(http, config.name(), uri("text:shieldPrompt"), headers(), body,
                    config.timeout());
            Map<String, Object> user = Json.object(answer, "userPromptAnalysis");
            if (user == null && !slice.isEmpty()) {
                throw new GuardrailException(config.name() + ": shieldPrompt answer without userPromptAnalysis");
            }
            if (Boolean.TRUE.equals(Json.bool(user, "attackDetected"))) {
                return new Verdict.Block("prompt attack detected in the user prompt", "UserPromptAttack", 1.0);
            }
            List<Object> docs = Json.array(answer, "documentsAnalysis");
            for (int k = 0; k < docs.size(); k++) {
                if (docs.get(k) instanceof Map<?, ?> d && Boolean.TRUE.equals(d.get("attackDetected"))) {
                    return new Verdict.Block("prompt attack detected in tool result " + k, "DocumentAttack", 1.0);
                }
            }
            from += MAX_CHARS;
        } while (from < all.length());
        return Verdict.allow();
    }

    private URI uri(String operation) {
        String base = config.endpoint().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/contentsafety/" + operation + "?api-version=" + config.apiVersion());
    }

    private Map<String, String> headers() throws GuardrailException {
        String credential = config.credential().get();
        if (credential == null || credential.isBlank()) {
            throw new GuardrailException(config.name() + ": no credential available (expected: a key or token)");
        }
        return config.auth() == Auth.SUBSCRIPTION_KEY
                ? Map.of("Ocp-Apim-Subscription-Key", credential)
                : Map.of("Authorization", "Bearer " + credential);
    }

    @Override
    public String toString() {
        return "AzureContentSafetyGuardrail[" + config.name() + " -> " + config.endpoint().getHost() + "]";
    }

}
