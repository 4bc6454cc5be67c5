package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.providers.bedrock.BedrockAdapter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** AWS Bedrock Converse / ConverseStream, SigV4-signed, against a local server speaking the binary event stream. */
class BedrockAdapterTest extends ProviderConformance {
    private static final String KEYS = "AKIDCANARY7F3A:secret-canary-7f3a";

    @Override
    protected WireFake startFake() {
        return new BedrockWireFake();
    }

    @Override
    protected ProviderAdapter adapter(UpstreamHttp http) {
        return new BedrockAdapter(http);
    }

    @Override
    protected String credential() {
        return KEYS;
    }

    @Override
    protected Map<String, String> options() {
        return Map.of("region", "eu-west-1");
    }

    /** Bedrock's ThrottlingException carries no Retry-After. */
    @Override
    protected boolean sendsRetryAfter() {
        return false;
    }

    @Override
    protected String[] retryAfterHeader() {
        return new String[0];
    }

    @Override
    protected boolean reportsReasoningTokens() {
        return false;
    }

    @Override
    protected void assertAuthenticated(WireFake.Received request) {
        assertThat(request.headers().get("authorization")).matches("AWS4-HMAC-SHA256 Credential=AKIDCANARY7F3A/\\d{8}/"
                + "eu-west-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}");
        assertThat(request.headers()).containsKey("x-amz-date");
        assertThat(request.toString()).doesNotContain("secret-canary-7f3a");
        assertThat(request.path()).startsWith("/model/upstream-model/converse");
    }

    @Test
    void countTokensIsBedrocksCountTokensWithTheClaudeBodyToolsIncluded() throws Exception {
        fake.script(Script.text("unused"));
        String json = COUNT_REQUEST.replace("\"system\"",
                "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},\"system\"");
        UpstreamCall call = call(Surface.ANTHROPIC_COUNT_TOKENS, json, false, fake.baseUrl());

        adapter.send(call);

        WireFake.Received received = fake.last();
        assertThat(received.path()).isEqualTo("/model/upstream-model/count-tokens");
        assertThat(received.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDCANARY7F3A/");
        JsonNode sent = JsonMapper.builder().build().readTree(java.util.Base64.getDecoder().decode(
                JsonMapper.builder().build().readTree(received.body()).path("input").path("invokeModel").path("body")
                        .asString()));
        assertThat(sent.path("anthropic_version").asString()).isEqualTo("bedrock-2023-05-31");
        assertThat(sent.has("model")).as("the model is in the path").isFalse();
        assertThat(sent.path("tools").path(0).path("name").asString()).isEqualTo("Read");
        assertThat(sent.path("max_tokens").asLong()).as("above the thinking budget").isEqualTo(2049);
    }

    @Test
    void bedrockApiKeysAreSentAsBearerTokens() throws Exception {
        fake.script(Script.text("ok"));
        UpstreamCall call = call(Surface.CHAT_COMPLETIONS, CallerRequests.question(Surface.CHAT_COMPLETIONS, false),
                false, fake.baseUrl());
        ProviderEndpoint apiKey = new ProviderEndpoint("bedrock", "bedrock", fake.baseUrl(), Map.of(),
                call.endpoint().credentials(), null, Map.of("auth", "api-key"));
        adapter.send(new UpstreamCall(call.request(), apiKey, "anthropic.claude-3-5-sonnet-20240620-v1:0",
                call.credentialId(), "ABSKbedrockapikey", Map.of(), call.timeout(), call.idleTimeout(),
                call.exchange()));

        assertThat(fake.last().headers()).containsEntry("authorization", "Bearer ABSKbedrockapikey");
        assertThat(fake.last().path()).isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1:0/converse");
    }
}
