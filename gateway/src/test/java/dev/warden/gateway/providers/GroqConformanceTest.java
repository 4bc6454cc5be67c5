package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.providers.openai.OpenAiAdapter;
import java.util.Set;

/**
 * Groq (type {@code groq}) is served by the OpenAI-compatible adapter. Its streams carry {@code x_groq.usage} on the
 * finish chunk and empty {@code tool_calls} arrays in deltas; it reports no cached or reasoning details.
 */
class GroqConformanceTest extends ProviderConformance {
    @Override
    protected WireFake startFake() {
        return new OpenAiWireFake("/openai/v1", OpenAiWireFake.Flavor.GROQ);
    }

    @Override
    protected ProviderAdapter adapter(UpstreamHttp http) {
        return new OpenAiAdapter(http);
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
