package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.providers.gemini.GeminiAdapter;
import org.junit.jupiter.api.Test;

/** Gemini (Generative Language API): every caller protocol translated to generateContent and back. */
class GeminiAdapterTest extends ProviderConformance {
    @Override
    protected WireFake startFake() {
        return new GeminiWireFake();
    }

    @Override
    protected ProviderAdapter adapter(UpstreamHttp http) {
        return new GeminiAdapter(http);
    }

    @Override
    protected void assertAuthenticated(WireFake.Received request) {
        assertThat(request.headers()).containsEntry("x-goog-api-key", CREDENTIAL).doesNotContainKey("authorization");
        assertThat(request.path()).startsWith("/v1beta/models/upstream-model:");
    }

    /** Gemini's retry hint is in the error body's RetryInfo (the fake sends "7s" there, and no header). */
    @Override
    protected boolean sendsRetryAfter() {
        return true;
    }

    @Override
    protected String[] retryAfterHeader() {
        return new String[0];
    }

    @Test
    void removesJsonSchemaKeywordsGeminiRejects() throws Exception {
        fake.script(Script.text("ok"));
        String json = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":"
                + "\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"$schema\":\"http://json-schema.org/"
                + "draft-07/schema#\",\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"a\":"
                + "{\"type\":\"object\",\"additionalProperties\":false}}}}}]}";
        adapter.send(call(Surface.CHAT_COMPLETIONS, json, false, fake.baseUrl()));

        assertThat(fake.last().body()).doesNotContain("additionalProperties").doesNotContain("$schema")
                .contains("\"functionDeclarations\"");
    }

    @Test
    void embeddingsGoToBatchEmbedContentsInTheCallersEncoding() throws Exception {
        String json = "{\"model\":\"m\",\"input\":[\"first text\",\"second\"],\"dimensions\":3,"
                + "\"encoding_format\":\"float\"}";
        UpstreamCall call = call(Surface.EMBEDDINGS, json, false, fake.baseUrl());
        var reply = (dev.warden.gateway.pipeline.Reply.Json) adapter.send(call);

        var body = tools.jackson.databind.json.JsonMapper.builder().build().readTree(reply.body());
        assertThat(body.path("data")).hasSize(2);
        assertThat(body.path("data").get(1).path("index").asInt()).isEqualTo(1);
        assertThat(body.path("data").get(0).path("embedding")).hasSize(3);
        assertThat(body.path("usage").path("prompt_tokens").asLong()).isPositive();
        assertThat(fake.last().path()).isEqualTo("/v1beta/models/upstream-model:batchEmbedContents");
        assertThat(fake.last().body()).contains("\"outputDimensionality\":3").contains("\"model\":\"models/upstream-model\"");
        assertThat(call.exchange().find(dev.warden.gateway.pipeline.Usage.ATTRIBUTE)).isNotNull();

        UpstreamCall base64 = call(Surface.EMBEDDINGS, "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":2}"
                .replace("}", ",\"encoding_format\":\"base64\"}"), false, fake.baseUrl());
        var encoded = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(((dev.warden.gateway.pipeline.Reply.Json) adapter.send(base64)).body());
        byte[] floats = java.util.Base64.getDecoder().decode(encoded.path("data").get(0).path("embedding").asString());
        assertThat(java.nio.ByteBuffer.wrap(floats).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat()).isEqualTo(0.5f);
    }

    @Test
    void thoughtSignaturesTravelInTheCallIdAndComeBackWithTheCall() throws Exception {
        fake.script(Script.tool("get_weather", "{\"city\":\"Paris\"}"));
        Result first = send(Surface.ANTHROPIC_MESSAGES, CallerRequests.withTools(Surface.ANTHROPIC_MESSAGES, true),
                true);
        String id = first.view().toolCalls().getFirst().id();
        assertThat(id).matches("[A-Za-z0-9_-]+");

        fake.script(Script.text("18C"));
        String next = "{\"model\":\"m\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":"
                + "\"get_weather\",\"input\":{\"city\":\"Paris\"}}]},{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"tool_result\",\"tool_use_id\":\"" + id + "\",\"content\":\"18C\"}]}]}";
        send(Surface.ANTHROPIC_MESSAGES, next, false);

        var body = tools.jackson.databind.json.JsonMapper.builder().build().readTree(fake.last().body());
        var callPart = body.path("contents").get(1).path("parts").get(0);
        assertThat(callPart.path("thoughtSignature").asString()).isEqualTo(GeminiWireFake.SIGNATURE);
        String sentId = callPart.path("functionCall").path("id").asString();
        assertThat(sentId).doesNotContain("_ts_");
        assertThat(body.path("contents").get(2).path("parts").get(0).path("functionResponse").path("id").asString())
                .isEqualTo(sentId);
    }

    @Test
    void countTokensSendsTheWholeRequestAsGenerateContentRequest() throws Exception {
        fake.script(Script.text("unused"));
        adapter.send(call(Surface.ANTHROPIC_COUNT_TOKENS, COUNT_REQUEST, false, fake.baseUrl()));

        tools.jackson.databind.JsonNode sent = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(fake.last().body()).path("generateContentRequest");
        assertThat(fake.last().path()).isEqualTo("/v1beta/models/upstream-model:countTokens");
        assertThat(sent.path("model").asString()).isEqualTo("models/upstream-model");
        assertThat(sent.path("systemInstruction").toString()).contains("be brief");
        assertThat(sent.path("tools").toString()).contains("Read");
    }
}
