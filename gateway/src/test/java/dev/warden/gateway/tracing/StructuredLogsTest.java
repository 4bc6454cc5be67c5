package dev.warden.gateway.tracing;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code WARDEN_LOG_FORMAT=ecs} turns the console log into JSON lines (Elastic Common Schema), one object per line,
 * and a provider key never appears in them, whatever the requests do, at DEBUG level.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "WARDEN_LOG_FORMAT=ecs",
        "logging.level.dev.warden=DEBUG", "logging.level.org.springframework.web=DEBUG",
        "logging.level.jdk.internal.httpclient=DEBUG"})
class StructuredLogsTest {
    static final String CANARY = "sk-LOGCANARY-0b9d4e2f71a3c685";
    static final FakeUpstream UPSTREAM = FakeUpstream.start();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * What the gateway prints on stdout on purpose at start (DemoSeeder): the demo's user interface, not log
     * records. Everything else on stdout must be a JSON log record.
     */
    static final List<String> START_UP_LINES = List.of("Warden gateway listening on port ", "demo virtual key: ",
            "admin token: ");

    @LocalServerPort
    int port;
    @Autowired
    KeyRepository keys;

    @DynamicPropertySource
    static void config(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("warden-logs");
        Path secret = Files.writeString(dir.resolve("provider-key"), CANARY + "\n");
        registry.add("warden.data-dir", dir::toString);
        registry.add("warden.limits.request-timeout", () -> "3s");
        registry.add("warden.providers[0].name", () -> "canary");
        registry.add("warden.providers[0].type", () -> "openai");
        registry.add("warden.providers[0].base-url", () -> UPSTREAM.baseUrl().toString());
        registry.add("warden.providers[0].timeout", () -> "1s");
        registry.add("warden.providers[0].keys[0].id", () -> "k");
        registry.add("warden.providers[0].keys[0].secret", () -> "file://" + secret);
        registry.add("warden.models[0].name", () -> "m");
        registry.add("warden.models[0].targets[0].provider", () -> "canary");
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @Test
    void logLinesAreJsonAndNeverCarryTheProviderKey(CapturedOutput output) throws Exception {
        String key = KeyMaterial.newKey();
        keys.insert(KeyMaterial.newId("key_"), "logs-test", KeyMaterial.hash(key), KeyMaterial.hint(key), null, null,
                List.of(), List.of(), Map.of(), null, Instant.now());
        String chat = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        String stream = chat.replace("\"m\"", "\"m\",\"stream\":true");
        UPSTREAM.respond(FakeUpstream.chat("fine"));
        assertThat(call(key, chat).statusCode()).isEqualTo(200);
        assertThat(call(key, stream).statusCode()).isEqualTo(200);
        UPSTREAM.respond(FakeUpstream.brokenChatStream("cut short", 2));
        assertThat(call(key, stream).body()).contains("quote request id");
        UPSTREAM.respond(FakeUpstream.error(500, "internal error " + CANARY));
        assertThat(call(key, chat).statusCode()).isEqualTo(502);
        // Last: a rejected credential rests, and the provider is not called again.
        UPSTREAM.respond(FakeUpstream.error(401, "Incorrect API key provided: " + CANARY));
        assertThat(call(key, chat).statusCode()).isIn(502, 503);
        assertThat(call("wk-wrong", chat).statusCode()).isEqualTo(401);

        String stdout = output.getOut();
        List<String> all = stdout.lines().toList();
        // Before its logging system starts, the test framework itself logs in Logback's default layout.
        int start = 0;
        while (start < all.size() && !all.get(start).startsWith("{")) {
            start++;
        }
        List<String> lines = all.subList(start, all.size()).stream().filter(line -> !line.isBlank())
                .filter(line -> START_UP_LINES.stream().noneMatch(line::startsWith)).toList();
        assertThat(lines).as("log records on stdout").hasSizeGreaterThan(10);
        for (String line : lines) {
            JsonNode record = parse(line);
            assertThat(record.path("@timestamp").isString()).as("@timestamp in " + line).isTrue();
            assertThat(record.path("log").path("level").isString() || record.path("log.level").isString())
                    .as("log level in " + line).isTrue();
            assertThat(record.path("message").isMissingNode()).as("message in " + line).isFalse();
        }
        assertThat(stdout).contains("\"DEBUG\"").contains("provider stream failed");
        assertThat(output.getAll()).doesNotContain(CANARY);
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as("a JSON object: " + line).isTrue();
            return node;
        } catch (JacksonException e) {
            throw new AssertionError("not a JSON log record: " + line, e);
        }
    }

    private HttpResponse<String> call(String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
