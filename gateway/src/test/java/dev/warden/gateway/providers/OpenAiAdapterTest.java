package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Surface;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.warden.gateway.providers.openai.OpenAiAdapter;

/** OpenAI: Chat Completions and Responses pass through; Anthropic Messages callers are translated to chat. */
class OpenAiAdapterTest extends ProviderConformance {
    @Override
    protected WireFake startFake() {
        return new OpenAiWireFake("/v1");
    }

    @Override
    protected ProviderAdapter adapter(UpstreamHttp http) {
        return new OpenAiAdapter(http);
    }

    @Override
    protected void assertAuthenticated(WireFake.Received request) {
        assertThat(request.headers()).containsEntry("authorization", "Bearer " + CREDENTIAL);
    }

    @Test
    void claudeCodesLargeMaxTokensIsCappedAndRenamedForOpenAi() throws Exception {
        fake.script(Script.text("ok"));
        String json = "{\"model\":\"m\",\"max_tokens\":32000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        UpstreamCall call = call(Surface.ANTHROPIC_MESSAGES, json, false, fake.baseUrl());
        ProviderEndpoint capped = new ProviderEndpoint("openai", "openai", fake.baseUrl(), Map.of(),
                call.endpoint().credentials(), null,
                Map.of("max-output-tokens", "16384", "max-tokens-field", "max_completion_tokens"));
        adapter.send(new UpstreamCall(call.request(), capped, call.upstreamModel(), call.credentialId(),
                call.credential(), Map.of("anthropic-beta", "x"), call.timeout(), call.idleTimeout(),
                call.exchange()));

        assertThat(fake.last().body()).contains("\"max_completion_tokens\":16384").doesNotContain("\"max_tokens\"");
        assertThat(fake.last().headers()).doesNotContainKey("anthropic-beta");
    }
}
