package dev.warden.guardrails.patronus;

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
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Patronus AI through {@code POST https://api.patronus.ai/v1/evaluate} with the {@code X-API-KEY} header.
 *
 * <p>The request names the configured evaluators ({@code {"evaluator": "judge", "criteria":
 * "patronus:prompt-injection"}}) and carries the inspected text: on input, message parts as
 * {@code evaluated_model_input} and tool results as {@code evaluated_model_retrieved_context}; on output, the parts as
 * {@code evaluated_model_output}. Each entry of the answer's {@code results} holds an {@code evaluation_result} with
 * {@code pass} and {@code score_raw}. With the all-pass strategy any failed evaluator blocks; with any-pass, only all
 * failing does. An evaluator that errored ({@code status} other than {@code success}) means no verdict: the chain's
 * fail-open or fail-closed rule decides.
 */
public final class PatronusGuardrail implements Guardrail {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://api.patronus.ai/v1/evaluate");

    /** How several evaluators combine. */
    public enum SuccessStrategy { ALL_PASS, ANY_PASS }

    /**
     * One evaluator.
     *
     * @param evaluator the evaluator family or id, e.g. {@code judge}, {@code lynx}, {@code pii}
     * @param criteria the criteria, e.g. {@code patronus:prompt-injection}; null for the evaluator's default
     */
    public record Evaluator(String evaluator, @Nullable String criteria) {
        public Evaluator {
            requireNonNull(evaluator, "evaluator");
            if (evaluator.isBlank()) {
                throw new IllegalArgumentException("evaluator: '' (expected: an evaluator name such as judge)");
            }
        }
    }

    /**
     * Configuration.
     *
     * @param name the guardrail's name in policies
     * @param endpoint the evaluate endpoint
     * @param apiKey supplies the API key
     * @param evaluators the evaluators to run, at least one
     * @param strategy all-pass (default) or any-pass
     * @param tags tags sent with each evaluation, for Patronus-side filtering
     * @param timeout per HTTP call
     */
    public record Config(String name, URI endpoint, Supplier<String> apiKey, List<Evaluator> evaluators,
            SuccessStrategy strategy, Map<String, String> tags, Duration timeout) {
        public Config {
            requireNonNull(name, "name");
            requireNonNull(endpoint, "endpoint");
            requireNonNull(apiKey, "apiKey");
            evaluators = List.copyOf(evaluators);
            if (evaluators.isEmpty()) {
                throw new IllegalArgumentException("evaluators: [] (expected: at least one evaluator)");
            }
            requireNonNull(strategy, "strategy");
            tags = Map.copyOf(tags);
            requireNonNull(timeout, "timeout");
        }

        public static Config of(Supplier<String> apiKey, Evaluator... evaluators) {
            return new Config("patronus", DEFAULT_ENDPOINT, apiKey, List.of(evaluators), SuccessStrategy.ALL_PASS,
                    Map.of(), Duration.ofSeconds(5));
        }
    }

    private final Config config;
    private final HttpClient http;

    public PatronusGuardrail(Config config) {
        this(config, JsonHttp.newClient(config.timeout()));
    }

    public PatronusGuardrail(Config config, HttpClient http) {
        this.config = requireNonNull(config, "config");
        this.http = requireNonNull(http, "http");
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Verdict inspect(Inspection in) throws GuardrailException {
        StringBuilder text = new StringBuilder();
        List<String> context = new ArrayList<>();
        for (TextPart p : in.parts()) {
            if (p.kind() == TextPart.Kind.TOOL_RESULT && in.direction() == Direction.INPUT) {
                context.add(p.text());
            } else {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(p.text());
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        List<Map<String, Object>> evaluators = new ArrayList<>();
        for (Evaluator e : config.evaluators()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("evaluator", e.evaluator());
            if (e.criteria() != null) {
                m.put("criteria", e.criteria());
            }
            // Explanations can quote the text; the gateway records only pass/fail and scores.
            m.put("explain_strategy", "never");
            evaluators.add(m);
        }
        body.put("evaluators", evaluators);
        body.put(in.direction() == Direction.INPUT ? "evaluated_model_input" : "evaluated_model_output",
                text.toString());
        if (!context.isEmpty()) {
            body.put("evaluated_model_retrieved_context", context);
        }
        if (!config.tags().isEmpty()) {
            body.put("tags", config.tags());
        }
        String key = config.apiKey().get();
        if (key == null || key.isBlank()) {
            throw new GuardrailException(config.name() + ": no API key available");
        }
        Map<String, Object> answer = JsonHttp.post(http, config.name(), config.endpoint(), Map.of("X-API-KEY", key),
                body, config.timeout());
        return verdict(answer);
    }

    private Verdict verdict(Map<String, Object> answer) throws GuardrailException {
        List<Object> results = Json.array(answer, "results");
        if (results.isEmpty()) {
            throw new GuardrailException(config.name() + ": answer without results");
        }
        int passed = 0;
        Verdict.@Nullable Block firstFailure = null;
        for (Object o : results) {
            if (!(o instanceof Map<?, ?> raw)) {
                throw new GuardrailException(config.name() + ": result is not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) raw;
            String evaluator = firstNonNull(Json.string(r, "evaluator_id"), Json.string(r, "evaluator"), "evaluator");
            String criteria = firstNonNull(Json.string(r, "criteria"), evaluator, evaluator);
            String status = Json.string(r, "status");
            if (status != null && !status.equals("success")) {
                throw new GuardrailException(config.name() + ": evaluator " + evaluator + " ended with status "
                        + status);
            }
            Map<String, Object> result = Json.object(r, "evaluation_result");
            Boolean pass = Json.bool(result, "pass");
            if (pass == null) {
                throw new GuardrailException(config.name() + ": evaluator " + evaluator + " returned no pass/fail");
            }
            if (pass) {
                passed++;
            } else if (firstFailure == null) {
                Double score = Json.number(result, "score_raw");
                double s = score == null || score.isNaN() ? 1.0 : Math.max(0.0, Math.min(1.0, score));
                firstFailure = new Verdict.Block("Patronus evaluator " + evaluator + " failed " + criteria,
                        criteria, s);
            }
        }
        boolean ok = config.strategy() == SuccessStrategy.ALL_PASS ? passed == results.size() : passed > 0;
        return ok || firstFailure == null ? Verdict.allow() : firstFailure;
    }

    private static String firstNonNull(@Nullable String a, @Nullable String b, String c) {
        return a != null ? a : b != null ? b : c;
    }

    @Override
    public String toString() {
        return "PatronusGuardrail[" + config.name() + " -> " + config.endpoint().getHost() + "]";
    }
}
