package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.Inbound;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.providers.translate.Conversation;
import dev.warden.gateway.providers.translate.Part;
import dev.warden.gateway.surface.CanonicalRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The provider conformance suite: every adapter's test extends it, pointing the adapter at a local server that
 * speaks its provider's wire format. Which scenarios apply is decided by the adapter's capability matrix (which
 * caller surfaces it serves, streaming, tools) and by what the provider reports (cached and reasoning tokens,
 * Retry-After). Each scenario runs for every caller surface the adapter serves, plain and streamed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderConformance {
    protected static final String CREDENTIAL = "sk-conformance-canary-7f3a";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<Surface> CALLER_SURFACES = List.of(Surface.CHAT_COMPLETIONS, Surface.RESPONSES,
            Surface.ANTHROPIC_MESSAGES);

    protected WireFake fake;
    protected UpstreamHttp http;
    protected ProviderAdapter adapter;

    /** The provider's wire format, served locally. */
    protected abstract WireFake startFake();

    protected abstract ProviderAdapter adapter(UpstreamHttp http);

    /** Checks the provider saw our credential the way it expects it. */
    protected abstract void assertAuthenticated(WireFake.Received request);

    /** The credential value the adapter is given (its format is the provider's). */
    protected String credential() {
        return CREDENTIAL;
    }

    protected Map<String, String> options() {
        return Map.of();
    }

    /** Whether the provider reports cached input tokens and reasoning tokens (the usage scenario checks them). */
    protected boolean reportsCachedTokens() {
        return true;
    }

    protected boolean reportsReasoningTokens() {
        return true;
    }

    /** Whether the provider's 429 carries a retry hint (a Retry-After header, or Google's RetryInfo in the body). */
    protected boolean sendsRetryAfter() {
        return true;
    }

    /** The header pair a 429 from this provider carries (none for providers that put the hint in the body). */
    protected String[] retryAfterHeader() {
        return new String[] {"retry-after", "7"};
    }

    /** The provider's own overload status besides 500 (Anthropic's 529, Gemini's 503). */
    protected int overloadStatus() {
        return 503;
    }

    /** Caller surfaces this adapter serves, from its capabilities (a subclass may narrow it to what its fake speaks). */
    protected Set<Surface> callerSurfaces() {
        Set<Surface> surfaces = new java.util.LinkedHashSet<>();
        for (Surface surface : CALLER_SURFACES) {
            if (adapter.capabilities().contains(Capability.valueOf(surface.name()))) {
                surfaces.add(surface);
            }
        }
        return surfaces;
    }

    @BeforeAll
    void startAll() {
        WardenProperties properties = mock(WardenProperties.class);
        when(properties.limits()).thenReturn(new WardenProperties.Limits(DataSize.ofMegabytes(10),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2), null, Duration.ofSeconds(10)));
        http = new UpstreamHttp(properties);
        adapter = adapter(http);
        fake = startFake();
    }

    @AfterAll
    void stopAll() {
        fake.close();
        // close() waits for every exchange to finish; a test that failed mid-stream must not hang the suite.
        http.client().shutdownNow();
        http.close();
    }

    @BeforeEach
    void resetFake() {
        fake.reset();
    }

    Stream<Arguments> surfacesAndModes() {
        List<Arguments> arguments = new ArrayList<>();
        for (Surface surface : callerSurfaces()) {
            arguments.add(Arguments.of(surface, false));
            if (adapter.capabilities().contains(Capability.STREAMING)) {
                arguments.add(Arguments.of(surface, true));
            }
        }
        return arguments.stream();
    }

    Stream<Surface> surfaces() {
        return callerSurfaces().stream();
    }

    // ---- scenarios ----

    @ParameterizedTest(name = "{0}, stream={1}")
    @MethodSource("surfacesAndModes")
    void answersText(Surface surface, boolean stream) throws Exception {
        fake.script(Script.text("Paris is the capital of France."));
        Result result = send(surface, CallerRequests.question(surface, stream), stream);

        assertThat(result.view().text()).isEqualTo("Paris is the capital of France.");
        assertThat(result.view().toolCalls()).isEmpty();
        assertThat(result.view().stop()).isIn("stop", "end_turn", "completed");
        assertAuthenticated(fake.last());
        Conversation saw = fake.saw(fake.last());
        assertThat(saw.system()).isEqualTo(CallerRequests.SYSTEM);
        assertThat(saw.messages()).hasSize(1);
        assertThat(text(saw.messages().getFirst())).isEqualTo(CallerRequests.QUESTION);
    }

    @ParameterizedTest(name = "{0}, stream={1}")
    @MethodSource("surfacesAndModes")
    void reportsUsage(Surface surface, boolean stream) throws Exception {
        fake.script(Script.text("Paris."));
        Result result = send(surface, CallerRequests.question(surface, stream), stream);

        Usage recorded = result.exchange().find(Usage.ATTRIBUTE);
        assertThat(recorded).as("usage recorded for governance").isNotNull();
        assertThat(recorded.inputTokens()).isEqualTo(Script.INPUT);
        assertThat(recorded.outputTokens()).isEqualTo(Script.OUTPUT);
        assertThat(recorded.cachedInputTokens()).isEqualTo(reportsCachedTokens() ? Script.CACHED : 0);
        assertThat(recorded.reasoningTokens()).isEqualTo(reportsReasoningTokens() ? Script.REASONING : 0);
        // The caller sees the same counts in its own protocol.
        assertThat(result.view().usage().inputTokens()).isEqualTo(Script.INPUT);
        assertThat(result.view().usage().outputTokens()).isEqualTo(Script.OUTPUT);
        assertThat(result.view().usage().cachedInputTokens()).isEqualTo(recorded.cachedInputTokens());
    }

    @ParameterizedTest(name = "{0}, stream={1}")
    @MethodSource("surfacesAndModes")
    void relaysToolCall(Surface surface, boolean stream) throws Exception {
        assumeTrue(adapter.capabilities().contains(Capability.TOOLS), "adapter declares no tools");
        fake.script(Script.tool("get_weather", "{\"city\":\"Paris\"}"));
        Result result = send(surface, CallerRequests.withTools(surface, stream), stream);

        assertThat(result.view().toolCalls()).hasSize(1);
        Part.ToolCall call = result.view().toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
        assertThat(call.id()).isNotBlank();
        assertThat(result.view().stop()).isIn("tool_calls", "tool_use", "completed");
        Conversation saw = fake.saw(fake.last());
        assertThat(saw.tools()).extracting(Conversation.Tool::name).containsExactly("get_weather");
        assertThat(saw.tools().getFirst().parameters().path("properties").has("city")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void sendsToolResultBack(Surface surface) throws Exception {
        assumeTrue(adapter.capabilities().contains(Capability.TOOLS), "adapter declares no tools");
        fake.script(Script.text("It is 18C and sunny in Paris."));
        Result result = send(surface, CallerRequests.toolResult(surface), false);

        assertThat(result.view().text()).isEqualTo("It is 18C and sunny in Paris.");
        Conversation saw = fake.saw(fake.last());
        assertThat(saw.messages()).extracting(Conversation.Message::role).containsExactly(Conversation.Role.USER,
                Conversation.Role.ASSISTANT, Conversation.Role.USER);
        Part.ToolCall call = (Part.ToolCall) saw.messages().get(1).parts().stream()
                .filter(Part.ToolCall.class::isInstance).findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
        Part.ToolResult toolResult = (Part.ToolResult) saw.messages().get(2).parts().stream()
                .filter(Part.ToolResult.class::isInstance).findFirst().orElseThrow();
        assertThat(toolResult.content()).isEqualTo(CallerRequests.TOOL_RESULT);
        assertThat(toolResult.callId()).as("the result names the call it answers").isEqualTo(call.id());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("surfaces")
    void keepsMultiTurnHistory(Surface surface) throws Exception {
        fake.script(Script.text("Your name is Ada."));
        Result result = send(surface, CallerRequests.multiTurn(surface), false);

        assertThat(result.view().text()).isEqualTo("Your name is Ada.");
        Conversation saw = fake.saw(fake.last());
        assertThat(saw.system()).isEqualTo(CallerRequests.SYSTEM);
        assertThat(saw.messages()).extracting(Conversation.Message::role).containsExactly(Conversation.Role.USER,
                Conversation.Role.ASSISTANT, Conversation.Role.USER);
        assertThat(saw.messages()).extracting(ProviderConformance::text)
                .containsExactly("Hi, I am Ada.", "Hello Ada.", "What is my name?");
    }

    @ParameterizedTest(name = "{0}, stream={1}")
    @MethodSource("surfacesAndModes")
    void rateLimitIsRetryableWithRetryAfter(Surface surface, boolean stream) {
        fake.script(Script.error(429, retryAfterHeader()));
        UpstreamException failure = failure(surface, stream);

        assertThat(failure.status()).isEqualTo(429);
        assertThat(failure.retryable()).isTrue();
        if (sendsRetryAfter()) {
            assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        }
        assertThat(failure.providerMessage()).contains("scripted failure 429");
    }

    @ParameterizedTest(name = "{0}, stream={1}")
    @MethodSource("surfacesAndModes")
    void serverErrorsAreRetryable(Surface surface, boolean stream) {
        for (int status : new int[] {500, overloadStatus()}) {
            fake.script(Script.error(status));
            UpstreamException failure = failure(surface, stream);
            assertThat(failure.status()).isEqualTo(status);
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.credentialRejected()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}, stream={1}")
    @MethodSource("surfacesAndModes")
    void unauthorizedRestsTheCredential(Surface surface, boolean stream) {
        fake.script(Script.error(401));
        UpstreamException failure = failure(surface, stream);

        assertThat(failure.credentialRejected()).isTrue();
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).doesNotContain(credential());
    }

    @ParameterizedTest(name = "{0}, stream={1}")
    @MethodSource("surfacesAndModes")
    void badRequestIsRelayed(Surface surface, boolean stream) {
        fake.script(Script.error(400));
        UpstreamException failure = failure(surface, stream);

        assertThat(failure.status()).isEqualTo(400);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.credentialRejected()).isFalse();
        assertThat(failure.providerMessage()).isEqualTo("scripted failure 400");
    }

    @ParameterizedTest(name = "{0}, stream={1}")
    @MethodSource("surfacesAndModes")
    void unreachableProviderIsRetryable(Surface surface, boolean stream) throws Exception {
        UpstreamCall call = call(surface, CallerRequests.question(surface, stream), stream,
                java.net.URI.create("http://127.0.0.1:9/v1"));
        UpstreamException failure = catchThrowableOfType(UpstreamException.class, () -> adapter.send(call));
        assertThat(failure.failure()).isEqualTo(UpstreamException.Failure.CONNECT);
        assertThat(failure.retryable()).isTrue();
    }

    Stream<Surface> streamedSurfaces() {
        return adapter.capabilities().contains(Capability.STREAMING) ? callerSurfaces().stream() : Stream.empty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamedSurfaces")
    void truncatedStreamIsNeverPassedOffAsComplete(Surface surface) throws Exception {
        fake.script(Script.text("Paris is the capital of France.").cutAfter(2));
        UpstreamCall call = call(surface, CallerRequests.question(surface, true), true, fake.baseUrl());
        Reply reply;
        try {
            reply = adapter.send(call);
        } catch (UpstreamException e) {
            assertThat(e.retryable()).as("a stream cut before its first event fails over").isTrue();
            return;
        }
        List<dev.warden.gateway.pipeline.SseEvent> events = new ArrayList<>();
        try (var stream = ((Reply.Stream) reply).events()) {
            dev.warden.gateway.pipeline.SseEvent event;
            while ((event = stream.next()) != null) {
                events.add(event);
            }
        } catch (java.io.IOException expected) {
            return; // the gateway ends the caller's stream with an error in its protocol
        }
        // A pass-through stream may end quietly, but then without the terminal event, so the gateway notices.
        assertThat(events).noneMatch(e -> e.isDone() || "message_stop".equals(e.event())
                || "response.completed".equals(e.event()) || "response.incomplete".equals(e.event()));
    }

    /** What Claude Code sends to count_tokens: system, a message and a tool, all of which count. */
    protected static final String COUNT_REQUEST = "{\"model\":\"m\",\"system\":\"be brief\",\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"hi\"}],\"tools\":[{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}]}";

    @org.junit.jupiter.api.Test
    void countsAreAnsweredInAnthropicsShapeFreeOrNotAtAllNeverMadeUp() throws Exception {
        fake.script(Script.text("unused"));
        UpstreamCall call = call(Surface.ANTHROPIC_COUNT_TOKENS, COUNT_REQUEST, false, fake.baseUrl());
        if (!adapter.capabilities().contains(Capability.COUNT_TOKENS)) {
            // The router sends it no counts; asked anyway, it refuses without a call rather than guess.
            int sent = fake.received().size();
            assertThat(catchThrowableOfType(UpstreamException.class, () -> adapter.send(call))).isNotNull();
            assertThat(fake.received()).hasSize(sent);
            return;
        }

        Reply reply = adapter.send(call);

        assertThat(fake.last().path().toLowerCase(java.util.Locale.ROOT)).contains("count");
        assertThat(reply).isInstanceOfSatisfying(Reply.Json.class, j -> assertThat(new String(j.body(),
                StandardCharsets.UTF_8)).isEqualTo("{\"input_tokens\":" + Script.text("x").input() + "}"));
        assertThat(call.exchange().find(Usage.ATTRIBUTE)).as("counting is free").isNull();
    }

    // ---- plumbing ----

    /** What came back, as the caller reads it, and the exchange (for usage). */
    protected record Result(CallerView view, Exchange exchange) {
    }

    protected Result send(Surface surface, String json, boolean stream) throws Exception {
        UpstreamCall call = call(surface, json, stream, fake.baseUrl());
        Reply reply = adapter.send(call);
        CallerView view = switch (reply) {
            case Reply.Json j -> {
                assertThat(stream).as("a streamed request answered with JSON").isFalse();
                assertThat(j.status()).isEqualTo(200);
                yield CallerView.ofJson(surface, j.body());
            }
            case Reply.Stream s -> {
                assertThat(stream).as("a plain request answered with a stream").isTrue();
                yield CallerView.ofStream(surface, CallerView.drain(s.events()));
            }
        };
        return new Result(view, call.exchange());
    }

    private UpstreamException failure(Surface surface, boolean stream) {
        UpstreamCall call = call(surface, CallerRequests.question(surface, stream), stream, fake.baseUrl());
        UpstreamException failure = catchThrowableOfType(UpstreamException.class, () -> adapter.send(call));
        assertThat(failure).as("the adapter throws UpstreamException").isNotNull();
        return failure;
    }

    protected UpstreamCall call(Surface surface, String json, boolean stream, java.net.URI baseUrl) {
        ObjectNode body = (ObjectNode) JSON.readTree(json);
        boolean wantsUsage = surface != Surface.CHAT_COMPLETIONS
                || body.path("stream_options").path("include_usage").asBoolean(false);
        CanonicalRequest request = new CanonicalRequest(surface, "caller-model", stream, body, wantsUsage);
        Inbound inbound = new Inbound(surface, "/v1/" + surface.label(), Map.of(),
                json.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "req-conformance");
        Exchange exchange = new Exchange(inbound, System.nanoTime());
        ProviderEndpoint endpoint = new ProviderEndpoint("conformance", adapter.type(), baseUrl, Map.of(),
                List.of(new ProviderEndpoint.ProviderCredential("k1", "env://KEY", 1)), null, options());
        return new UpstreamCall(request, endpoint, "upstream-model", "k1", credential(),
                Map.of("user-agent", "conformance"), Duration.ofSeconds(10), Duration.ofSeconds(5), exchange);
    }

    static String text(Conversation.Message message) {
        StringBuilder text = new StringBuilder();
        for (Part part : message.parts()) {
            if (part instanceof Part.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }
}
