package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.providers.azure.AzureOpenAiAdapter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Azure OpenAI: chat at {@code /openai/deployments/{deployment}/chat/completions?api-version=…}, Responses at
 * {@code /openai/v1/responses}, {@code api-key} authentication (or an Entra bearer token).
 */
class AzureOpenAiAdapterTest extends ProviderConformance {
    /** Azure's URL layout in front of the OpenAI wire format; a deployment path without api-version is a 404. */
    static final class AzureWireFake extends OpenAiWireFake {
        AzureWireFake() {
            super("");
        }

        @Override
        protected String answerPath(Received request) {
            String path = request.path();
            if (path.startsWith("/openai/v1/")) {
                return path.substring("/openai/v1".length());
            }
            String prefix = "/openai/deployments/upstream-model";
            if (path.startsWith(prefix) && request.query().contains("api-version=")) {
                return path.substring(prefix.length());
            }
            return "/not-found";
        }
    }

    @Override
    protected WireFake startFake() {
        return new AzureWireFake();
    }

    @Override
    protected ProviderAdapter adapter(UpstreamHttp http) {
        return new AzureOpenAiAdapter(http);
    }

    @Override
    protected void assertAuthenticated(WireFake.Received request) {
        assertThat(request.headers()).containsEntry("api-key", CREDENTIAL).doesNotContainKey("authorization");
        if (request.path().contains("/deployments/")) {
            assertThat(request.query()).isEqualTo("api-version=" + AzureOpenAiAdapter.DEFAULT_API_VERSION);
        }
    }

    @Test
    void entraAuthenticationSendsABearerToken() throws Exception {
        fake.script(Script.text("ok"));
        UpstreamCall call = call(Surface.CHAT_COMPLETIONS, CallerRequests.question(Surface.CHAT_COMPLETIONS, false),
                false, fake.baseUrl());
        ProviderEndpoint entra = new ProviderEndpoint("azure", "azure-openai", fake.baseUrl(), Map.of(),
                call.endpoint().credentials(), null, Map.of("auth", "entra", "api-version", "2025-01-01-preview"));
        adapter.send(new UpstreamCall(call.request(), entra, call.upstreamModel(), call.credentialId(),
                call.credential(), Map.of(), call.timeout(), call.idleTimeout(), call.exchange()));

        assertThat(fake.last().headers()).containsEntry("authorization", "Bearer " + CREDENTIAL)
                .doesNotContainKey("api-key");
        assertThat(fake.last().path()).isEqualTo("/openai/deployments/upstream-model/chat/completions");
        assertThat(fake.last().query()).isEqualTo("api-version=2025-01-01-preview");
    }
}
