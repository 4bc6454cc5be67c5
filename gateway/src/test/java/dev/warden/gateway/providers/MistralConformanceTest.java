package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.providers.openai.OpenAiAdapter;
import java.util.Set;

/**
 * Mistral (type {@code mistral}) is served by the OpenAI-compatible adapter. Its API has chat completions but no
 * Responses API; it rejects OpenAI-only fields ({@code stream_options}, {@code max_completion_tokens}) with a 422;
 * usage rides on the finish chunk; tool calls stream whole, without an index.
 */
class MistralConformanceTest extends ProviderConformance {
    @Override
    protected WireFake startFake() {
        return new OpenAiWireFake("/v1", OpenAiWireFake.Flavor.MISTRAL);
    }

    @Override
    protected ProviderAdapter adapter(UpstreamHttp http) {
        return new OpenAiAdapter(http);
    }

    /** The fake listens on 127.0.0.1, not api.mistral.ai, so say what the host would have told the adapter. */
    @Override
    protected java.util.Map<String, String> options() {
        return java.util.Map.of("stream-options", "false");
    }

    @Override
    protected Set<Surface> callerSurfaces() {
        return Set.of(Surface.CHAT_COMPLETIONS, Surface.ANTHROPIC_MESSAGES);
    }

    @Override
    protected boolean reportsCachedTokens() {
        return false;
    }

    @Override
    protected boolean reportsReasoningTokens() {
        return false;
    }

    @Override
    protected void assertAuthenticated(WireFake.Received request) {
        assertThat(request.headers()).containsEntry("authorization", "Bearer " + CREDENTIAL);
    }
}
