package dev.warden.gateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.auth.KeyMaterial;
import dev.warden.gateway.auth.KeyRepository;
import dev.warden.gateway.testing.FakeUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A recognisable provider key, fetched from a secret file, sent through every path (success, provider errors that
 * echo it, timeouts, a missing secret) with debug logging on: it must appear nowhere — not in logs, responses,
 * headers, metrics or the audit ledger.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.level.dev.warden=DEBUG", "logging.level.org.springframework.web=DEBUG",
        "logging.level.org.apache.http=DEBUG", "logging.level.jdk.internal.httpclient=DEBUG"})
class SecretCanaryTest {
    static final String CANARY = "sk-CANARY-7e3f9b1c2d4a5e6f";
    static final FakeUpstream UPSTREAM = FakeUpstream.start();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    KeyRepository keys;
    @Autowired
    dev.warden.ledger.Ledger ledger;

    @DynamicPropertySource
    static void config(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("warden-canary");
        Path secret = Files.writeString(dir.resolve("provider-key"), CANARY + "\n");
        registry.add("warden.data-dir", dir::toString);
        registry.add("warden.providers[0].name", () -> "canary");
        registry.add("warden.providers[0].type", () -> "openai");
        registry.add("warden.providers[0].base-url", () -> UPSTREAM.baseUrl().toString());
        registry.add("warden.providers[0].timeout", () -> "1s");
        registry.add("warden.providers[0].keys[0].id", () -> "k");
        registry.add("warden.providers[0].keys[0].secret", () -> "file://" + secret);
        registry.add("warden.providers[1].name", () -> "missing");
        registry.add("warden.providers[1].type", () -> "openai");
        registry.add("warden.providers[1].base-url", () -> UPSTREAM.baseUrl().toString());
        registry.add("warden.providers[1].keys[0].id", () -> "gone");
        registry.add("warden.providers[1].keys[0].secret", () -> "file://" + dir.resolve("no-such-file"));
        registry.add("warden.models[0].name", () -> "m");
        registry.add("warden.models[0].targets[0].provider", () -> "canary");
        registry.add("warden.models[1].name", () -> "broken");
        registry.add("warden.models[1].targets[0].provider", () -> "missing");
    }

    @Test
    void theProviderKeyAppearsNowhere(CapturedOutput output) throws Exception {
        String key = KeyMaterial.newKey();
        keys.insert(KeyMaterial.newId("key_"), "canary-test", KeyMaterial.hash(key), KeyMaterial.hint(key), null, null,
                List.of(), List.of(), Map.of(), null, Instant.now());
        List<HttpResponse<String>> responses = new ArrayList<>();
        String chat = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        UPSTREAM.respond(FakeUpstream.chat("fine"));
        responses.add(call(key, chat));
        responses.add(call(key, chat.replace("\"m\"", "\"m\",\"stream\":true")));
        UPSTREAM.respond(FakeUpstream.error(400, "bad request for key " + CANARY));
        responses.add(call(key, chat));
        UPSTREAM.respond(FakeUpstream.error(500, "internal error " + CANARY));
        responses.add(call(key, chat));
        UPSTREAM.respond(FakeUpstream.delayed(Duration.ofSeconds(2), FakeUpstream.chat("late")));
        responses.add(call(key, chat));
        UPSTREAM.respond(FakeUpstream.error(401, "Incorrect API key provided: " + CANARY));
        responses.add(call(key, chat));
        responses.add(call(key, chat.replace("\"m\"", "\"broken\"")));
        responses.add(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()));
        responses.add(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .build(), HttpResponse.BodyHandlers.ofString()));

        assertThat(UPSTREAM.received()).isNotEmpty().allSatisfy(r ->
                assertThat(r.headers().get("authorization")).isEqualTo("Bearer " + CANARY));
        assertThat(responses.get(0).statusCode()).isEqualTo(200);
        assertThat(responses.get(2).statusCode()).isEqualTo(400);
        assertThat(responses.get(2).body()).contains("****");
        assertThat(responses.get(3).statusCode()).isEqualTo(502);
        assertThat(responses.get(4).statusCode()).isEqualTo(504);
        assertThat(responses.get(6).statusCode()).isIn(502, 503);
        for (HttpResponse<String> response : responses) {
            assertThat(response.body()).doesNotContain(CANARY);
            assertThat(response.headers().map().toString()).doesNotContain(CANARY);
        }
        assertThat(output.getAll()).contains("DEBUG").doesNotContain(CANARY);
        ledger.checkpoint();
        try (var files = Files.walk(ledger.dir())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as("ledger file " + file.getFileName()).doesNotContain(CANARY);
            }
        }
    }

    private HttpResponse<String> call(String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
