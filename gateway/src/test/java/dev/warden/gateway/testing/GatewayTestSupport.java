package dev.warden.gateway.testing;

import dev.warden.gateway.auth.Authenticator;
import dev.warden.gateway.listener.ApiListener;
import dev.warden.gateway.auth.KeyMaterial;
import dev.warden.gateway.auth.KeyRepository;
import dev.warden.gateway.routing.KeyHealth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A running gateway (random port, embedded store in a temp dir) in front of two local OpenAI-speaking upstreams:
 * model {@code gpt-test} falls back from {@code primary} (two credentials) to {@code secondary}; {@code solo} has
 * only {@code primary}; demo mode adds the {@code demo} model.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class GatewayTestSupport {
    protected static final FakeUpstream PRIMARY = FakeUpstream.start();
    protected static final FakeUpstream SECONDARY = FakeUpstream.start();
    protected static final String PRIMARY_SECRET_A = "sk-primary-a-canary-5f1e";
    protected static final String PRIMARY_SECRET_B = "sk-primary-b-canary-77aa";
    protected static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
    protected static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    protected int port;
    @Autowired
    protected KeyRepository keys;
    @Autowired
    protected KeyHealth health;
    @Autowired
    protected Authenticator authenticator;
    @Autowired
    protected ApiListener apiListener;

    protected String key;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("warden-test");
        registry.add("warden.data-dir", dir::toString);
        registry.add("warden.demo", () -> "true");
        registry.add("warden.admin.token", () -> ADMIN_TOKEN);
        registry.add("warden.listener.port", () -> "0"); // the API listener, on a port the system picks
        registry.add("warden.limits.request-timeout", () -> "4s");
        registry.add("warden.limits.stream-idle-timeout", () -> "1s");
        registry.add("warden.providers[0].name", () -> "primary");
        registry.add("warden.providers[0].type", () -> "openai");
        registry.add("warden.providers[0].base-url", () -> PRIMARY.baseUrl().toString());
        registry.add("warden.providers[0].keys[0].id", () -> "a");
        registry.add("warden.providers[0].keys[0].secret", () -> PRIMARY_SECRET_A);
        registry.add("warden.providers[0].keys[1].id", () -> "b");
        registry.add("warden.providers[0].keys[1].secret", () -> PRIMARY_SECRET_B);
        registry.add("warden.providers[0].timeout", () -> "1500ms");
        registry.add("warden.providers[1].name", () -> "secondary");
        registry.add("warden.providers[1].type", () -> "openai-compatible");
        registry.add("warden.providers[1].base-url", () -> SECONDARY.baseUrl().toString());
        registry.add("warden.models[0].name", () -> "gpt-test");
        registry.add("warden.models[0].targets[0].provider", () -> "primary");
        registry.add("warden.models[0].targets[0].model", () -> "up-model");
        registry.add("warden.models[0].targets[1].provider", () -> "secondary");
        registry.add("warden.models[0].targets[1].model", () -> "up-model-2");
        registry.add("warden.models[1].name", () -> "solo");
        registry.add("warden.models[1].targets[0].provider", () -> "primary");
        // Nothing listens on port 1: connection refused.
        registry.add("warden.providers[2].name", () -> "dead");
        registry.add("warden.providers[2].type", () -> "vllm");
        registry.add("warden.providers[2].base-url", () -> "http://127.0.0.1:1/v1");
        registry.add("warden.models[2].name", () -> "dead-first");
        registry.add("warden.models[2].targets[0].provider", () -> "dead");
        registry.add("warden.models[2].targets[1].provider", () -> "secondary");
        registry.add("warden.guardrails.policies.strict[0].guardrail", () -> "pii");
        registry.add("warden.guardrails.policies.strict[0].mode", () -> "enforce");
        registry.add("warden.guardrails.policies.strict[0].directions[0]", () -> "input");
        registry.add("warden.guardrails.policies.both[0].guardrail", () -> "pii");
        registry.add("warden.models[3].name", () -> "gpt-pattern-*");
        registry.add("warden.models[3].targets[0].provider", () -> "secondary");
        registry.add("warden.models[3].targets[0].model", () -> "*");
    }

    @BeforeEach
    void freshState() {
        PRIMARY.reset();
        SECONDARY.reset();
        health.clear();
        key = newKey(List.of());
    }

    protected String newKey(List<String> models) {
        return newKey(models, Map.of());
    }

    protected String newKey(List<String> models, Map<String, String> metadata) {
        String value = KeyMaterial.newKey();
        keys.insert(KeyMaterial.newId("key_"), "test", KeyMaterial.hash(value), KeyMaterial.hint(value), "tests",
                null, models, List.of(), metadata, null, Instant.now());
        return value;
    }

    protected URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    protected HttpResponse<String> post(String path, String body) {
        return post(path, body, Map.of("authorization", "Bearer " + key));
    }

    protected HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> admin(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return send(request.build());
    }

    protected static String chat(String model, String text, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + text + "\"}]}";
    }

    /** Every line of every ledger segment in {@code dir}, in order: the ledger as an auditor's {@code jq} sees it. */
    protected static List<String> ledgerLines(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            List<Path> segments = files.filter(f -> f.getFileName().toString().startsWith("segment-"))
                    .sorted().toList();
            List<String> lines = new java.util.ArrayList<>();
            for (Path segment : segments) {
                lines.addAll(Files.readAllLines(segment));
            }
            return lines;
        }
    }
}
