package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.warden.gateway.auth.KeyMaterial;
import dev.warden.gateway.auth.KeyRepository;
import dev.warden.gateway.http.SseReader;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Surface;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Through the running gateway: the Responses API (what Codex speaks) in front of Anthropic, and Anthropic Messages
 * (what Claude Code speaks) in front of an OpenAI-compatible upstream, plain and streamed, under the usual key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TranslationEndToEndTest {
    static final AnthropicWireFake ANTHROPIC = new AnthropicWireFake();
    static final OpenAiWireFake OPENAI = new OpenAiWireFake("/v1");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;
    @Autowired
    KeyRepository keys;
    String key;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) throws IOException {
        var dir = Files.createTempDirectory("warden-translation");
        registry.add("warden.data-dir", dir::toString);
        registry.add("warden.admin.token", () -> "translation-admin-token-0123456789");
        registry.add("warden.providers[0].name", () -> "claude");
        registry.add("warden.providers[0].type", () -> "anthropic");
        registry.add("warden.providers[0].base-url", () -> ANTHROPIC.baseUrl().toString());
        registry.add("warden.providers[0].keys[0].id", () -> "a");
        registry.add("warden.providers[0].keys[0].secret", () -> "sk-ant-canary-e2e");
        registry.add("warden.providers[1].name", () -> "oai");
        registry.add("warden.providers[1].type", () -> "openai");
        registry.add("warden.providers[1].base-url", () -> OPENAI.baseUrl().toString());
        registry.add("warden.providers[1].keys[0].id", () -> "a");
        registry.add("warden.providers[1].keys[0].secret", () -> "sk-oai-canary-e2e");
        registry.add("warden.models[0].name", () -> "claude-e2e");
        registry.add("warden.models[0].targets[0].provider", () -> "claude");
        registry.add("warden.models[0].targets[0].model", () -> "claude-sonnet-4-5");
        registry.add("warden.models[1].name", () -> "gpt-e2e");
        registry.add("warden.models[1].targets[0].provider", () -> "oai");
        registry.add("warden.models[1].targets[0].model", () -> "gpt-4o");
        // OpenAI first, Anthropic when OpenAI is down: translation is applied per hop.
        registry.add("warden.models[2].name", () -> "mixed-chain");
        registry.add("warden.models[2].targets[0].provider", () -> "oai");
        registry.add("warden.models[2].targets[0].model", () -> "gpt-4o");
        registry.add("warden.models[2].targets[1].provider", () -> "claude");
        registry.add("warden.models[2].targets[1].model", () -> "claude-sonnet-4-5");
    }

    @AfterAll
    static void stop() {
        ANTHROPIC.close();
        OPENAI.close();
    }

    @BeforeEach
    void newKey() {
        key = KeyMaterial.newKey();
        keys.insert(KeyMaterial.newId("key_"), "translation", KeyMaterial.hash(key), KeyMaterial.hint(key), "tests",
                null, List.of(), List.of(), java.util.Map.of(), null, Instant.now());
        ANTHROPIC.reset();
        OPENAI.reset();
    }

    @Test
    void responsesStreamInFrontOfAnthropicEndsInCompletedWithUsage() throws Exception {
        ANTHROPIC.script(Script.text("Paris is the capital of France."));
        HttpResponse<byte[]> response = post("/v1/responses", "authorization", "Bearer " + key,
                "{\"model\":\"claude-e2e\",\"stream\":true,\"instructions\":\"Be brief.\",\"input\":\"Capital?\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        CallerView view = CallerView.checkResponsesGrammar(events(response.body()));
        assertThat(view.text()).isEqualTo("Paris is the capital of France.");
        assertThat(view.usage().inputTokens()).isEqualTo(Script.INPUT);
        assertThat(view.usage().outputTokens()).isEqualTo(Script.OUTPUT);
        assertThat(ANTHROPIC.last().headers()).containsEntry("x-api-key", "sk-ant-canary-e2e");
        assertThat(ANTHROPIC.last().body()).contains("\"model\":\"claude-sonnet-4-5\"").contains("\"system\":\"Be brief.\"");
    }

    @Test
    void responsesToolCallInFrontOfAnthropic() throws Exception {
        ANTHROPIC.script(Script.tool("shell", "{\"cmd\":\"ls\"}"));
        HttpResponse<byte[]> response = post("/v1/responses", "authorization", "Bearer " + key,
                "{\"model\":\"claude-e2e\",\"stream\":true,\"input\":\"list files\",\"tools\":[{\"type\":\"function\","
                        + "\"name\":\"shell\",\"parameters\":{\"type\":\"object\",\"properties\":{\"cmd\":{\"type\":"
                        + "\"string\"}}}}]}");

        CallerView view = CallerView.checkResponsesGrammar(events(response.body()));
        assertThat(view.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("shell");
            assertThat(call.arguments()).isEqualTo("{\"cmd\":\"ls\"}");
        });
    }

    @Test
    void anthropicMessagesInFrontOfOpenAi() throws Exception {
        OPENAI.script(Script.text("Hello from GPT."));
        String body = "{\"model\":\"gpt-e2e\",\"max_tokens\":128,%s\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        HttpResponse<byte[]> plain = post("/anthropic/v1/messages", "x-api-key", key, body.formatted(""));
        assertThat(plain.statusCode()).isEqualTo(200);
        CallerView view = CallerView.ofJson(Surface.ANTHROPIC_MESSAGES, plain.body());
        assertThat(view.text()).isEqualTo("Hello from GPT.");
        assertThat(view.stop()).isEqualTo("end_turn");

        HttpResponse<byte[]> streamed = post("/anthropic/v1/messages", "x-api-key", key,
                body.formatted("\"stream\":true,"));
        assertThat(streamed.statusCode()).isEqualTo(200);
        CallerView streamView = CallerView.ofStream(Surface.ANTHROPIC_MESSAGES, events(streamed.body()));
        assertThat(streamView.text()).isEqualTo("Hello from GPT.");
        assertThat(streamView.usage().outputTokens()).isEqualTo(Script.OUTPUT);
        assertThat(OPENAI.last().path()).isEqualTo("/v1/chat/completions");
        assertThat(OPENAI.last().headers()).containsEntry("authorization", "Bearer sk-oai-canary-e2e");
    }

    @Test
    void failsOverFromOpenAiToAnthropicWithinOneStreamedRequest() throws Exception {
        OPENAI.script(Script.error(503));
        ANTHROPIC.script(Script.text("Answered by the second hop."));
        HttpResponse<byte[]> response = post("/v1/chat/completions", "authorization", "Bearer " + key,
                "{\"model\":\"mixed-chain\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        CallerView view = CallerView.ofStream(Surface.CHAT_COMPLETIONS, events(response.body()));
        assertThat(view.text()).isEqualTo("Answered by the second hop.");
        assertThat(view.usage().outputTokens()).isEqualTo(Script.OUTPUT);
        assertThat(OPENAI.received()).hasSize(1);
        assertThat(ANTHROPIC.last().body()).doesNotContain("stream_options").contains("\"stream\":true");
    }

    @Test
    void anthropicRejectionIsRelayedInTheCallersProtocol() throws Exception {
        ANTHROPIC.script(Script.error(400));
        HttpResponse<byte[]> response = post("/v1/chat/completions", "authorization", "Bearer " + key,
                "{\"model\":\"claude-e2e\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new String(response.body())).contains("\"error\"").contains("scripted failure 400");
    }

    @Test
    void officialAnthropicSdkInFrontOfOpenAi() {
        OPENAI.script(Script.text("Hello from GPT via the SDK."));
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/anthropic")
                .apiKey(key).maxRetries(0).build();
        MessageCreateParams params = MessageCreateParams.builder().model("gpt-e2e").maxTokens(200)
                .addUserMessage("hi").build();

        Message message = client.messages().create(params);
        assertThat(message.content().getFirst().text()).hasValueSatisfying(
                block -> assertThat(block.text()).isEqualTo("Hello from GPT via the SDK."));
        assertThat(message.usage().outputTokens()).isEqualTo(Script.OUTPUT);

        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        assertThat(accumulator.message().content().getFirst().text()).hasValueSatisfying(
                block -> assertThat(block.text()).isEqualTo("Hello from GPT via the SDK."));
        assertThat(accumulator.message().usage().outputTokens()).isEqualTo(Script.OUTPUT);
    }

    @Test
    void officialOpenAiSdkStreamsResponsesInFrontOfAnthropic() {
        ANTHROPIC.script(Script.text("Streamed by Claude."));
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(key)
                .maxRetries(0).build();
        StringBuilder text = new StringBuilder();
        List<String> ends = new ArrayList<>();
        try (com.openai.core.http.StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
                ResponseCreateParams.builder().model("claude-e2e").input("hi").build())) {
            stream.stream().forEach(event -> {
                event.outputTextDelta().ifPresent(d -> text.append(d.delta()));
                event.completed().ifPresent(e -> {
                    ends.add("completed");
                    assertThat(e.response().usage()).hasValueSatisfying(
                            u -> assertThat(u.outputTokens()).isEqualTo(Script.OUTPUT));
                });
            });
        }
        assertThat(text.toString()).isEqualTo("Streamed by Claude.");
        assertThat(ends).containsExactly("completed");
    }

    /** Codex CLI for real (run with {@code -DrealClients=true} after {@code npm ci} in {@code clients/}). */
    @Test
    @EnabledIfSystemProperty(named = "realClients", matches = "true")
    void codexExecCompletesThroughWardenToAnthropic() throws Exception {
        ANTHROPIC.script(Script.text("pong from claude"));
        Path binary = Path.of("..", "clients", "node_modules", ".bin", "codex").toAbsolutePath().normalize();
        assertThat(binary).as("run `npm ci` in clients/ first").isExecutable();
        Path home = Files.createTempDirectory("codex-home");
        Path work = Files.createTempDirectory("codex-work");
        Files.writeString(home.resolve("warden.config.toml"), dev.warden.gateway.cli.CodexProfiles.profile(
                "http://127.0.0.1:" + port + "/v1", "claude-e2e", "WARDEN_API_KEY"), StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "exec", "--skip-git-repo-check", "--profile",
                "warden", "ping through warden").directory(work.toFile());
        builder.environment().put("CODEX_HOME", home.toString());
        builder.environment().put("WARDEN_API_KEY", key);
        builder.environment().remove("OPENAI_API_KEY");
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("codex did not finish within 120 s: " + Files.readString(err));
        }
        Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "warden-codex-to-anthropic.json"),
                ANTHROPIC.last().body());
        assertThat(process.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(out)).contains("pong from claude");
        assertThat(ANTHROPIC.received()).isNotEmpty().allSatisfy(call -> {
            assertThat(call.path()).isEqualTo("/v1/messages");
            assertThat(call.body()).contains("ping through warden");
        });
    }

    private HttpResponse<byte[]> post(String path, String header, String value, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header(header, value).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<SseEvent> events(byte[] body) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(body));
        List<SseEvent> events = new ArrayList<>();
        SseEvent event;
        while ((event = reader.next()) != null) {
            events.add(event);
        }
        return events;
    }
}
