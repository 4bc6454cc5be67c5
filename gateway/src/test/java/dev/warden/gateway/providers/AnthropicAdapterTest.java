package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.providers.anthropic.AnthropicAdapter;
import org.junit.jupiter.api.Test;

/** Anthropic Messages: native pass-through for Anthropic callers, translation for OpenAI callers. */
class AnthropicAdapterTest extends ProviderConformance {
    @Override
    protected WireFake startFake() {
        return new AnthropicWireFake();
    }

    @Override
    protected ProviderAdapter adapter(UpstreamHttp http) {
        return new AnthropicAdapter(http);
    }

    @Override
    protected void assertAuthenticated(WireFake.Received request) {
        assertThat(request.headers()).containsEntry("x-api-key", CREDENTIAL).containsEntry("anthropic-version",
                "2023-06-01").doesNotContainKey("authorization");
    }

    @Override
    protected boolean reportsReasoningTokens() {
        return false;
    }

    @Override
    protected int overloadStatus() {
        return 529;
    }

    @Test
    void passesAnthropicRequestsThroughWithUnknownFieldsAndBetaHeader() throws Exception {
        fake.script(Script.text("ok"));
        String json = "{\"model\":\"m\",\"max_tokens\":64,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        UpstreamCall call = call(Surface.ANTHROPIC_MESSAGES, json, false, fake.baseUrl());
        UpstreamCall withBeta = new UpstreamCall(call.request(), call.endpoint(), call.upstreamModel(),
                call.credentialId(), call.credential(), java.util.Map.of("anthropic-beta", "prompt-caching-2024-07-31"),
                call.timeout(), call.idleTimeout(), call.exchange());
        adapter.send(withBeta);

        WireFake.Received received = fake.last();
        assertThat(received.headers()).containsEntry("anthropic-beta", "prompt-caching-2024-07-31");
        assertThat(received.body()).contains("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}")
                .contains("\"model\":\"upstream-model\"");
    }

    @Test
    void countTokensGoesToItsOwnEndpointAsSent() throws Exception {
        fake.script(Script.text("unused"));
        adapter.send(call(Surface.ANTHROPIC_COUNT_TOKENS, COUNT_REQUEST, false, fake.baseUrl()));

        WireFake.Received received = fake.last();
        assertThat(received.path()).isEqualTo("/v1/messages/count_tokens");
        assertAuthenticated(received);
        assertThat(received.body()).contains("\"model\":\"upstream-model\"").contains("\"tools\":[")
                .doesNotContain("max_tokens");
    }

    @Test
    void translatedRequestsCarryMaxTokensAndDropOpenAiHeaders() throws Exception {
        fake.script(Script.text("ok"));
        UpstreamCall call = call(Surface.CHAT_COMPLETIONS, CallerRequests.question(Surface.CHAT_COMPLETIONS, false),
                false, fake.baseUrl());
        UpstreamCall withHeader = new UpstreamCall(call.request(), call.endpoint(), call.upstreamModel(),
                call.credentialId(), call.credential(), java.util.Map.of("openai-beta", "assistants=v2"),
                call.timeout(), call.idleTimeout(), call.exchange());
        adapter.send(withHeader);

        assertThat(fake.last().headers()).doesNotContainKey("openai-beta");
        assertThat(fake.last().body()).contains("\"max_tokens\":4096");
    }

    @Test
    void optionMaxTokensIsAskedForWhenTheCallerGaveNone() throws Exception {
        fake.script(Script.text("ok"));
        UpstreamCall call = call(Surface.RESPONSES, CallerRequests.question(Surface.RESPONSES, false), false,
                fake.baseUrl());
        ProviderEndpoint endpoint = new ProviderEndpoint("claude", "anthropic", fake.baseUrl(), java.util.Map.of(),
                call.endpoint().credentials(), null, java.util.Map.of("max-tokens", "32000"));
        adapter.send(new UpstreamCall(call.request(), endpoint, call.upstreamModel(), call.credentialId(),
                call.credential(), java.util.Map.of(), call.timeout(), call.idleTimeout(), call.exchange()));

        assertThat(fake.last().body()).contains("\"max_tokens\":32000");
    }
}
