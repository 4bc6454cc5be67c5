package dev.warden.gateway.surface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.testing.GatewayTestSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed, oversized and wrongly typed requests get a clear 4xx in the caller's protocol, never a 500. */
class BadInputTest extends GatewayTestSupport {

    @Test
    void truncatedJson() {
        HttpResponse<String> response = post("/v1/chat/completions", "{\"model\":\"demo\",\"messages\":[{\"role\"");

        assertOpenAiError(response, 400, "not valid JSON");
    }

    @Test
    void twentyMebibyteBodyIsRefusedBeforeItIsBuffered() {
        byte[] body = new byte[20 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'a');
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        assertOpenAiError(response, 413, "at most");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"model":"demo","messages":"hello"}                                           | messages
            {"model":"demo","messages":[]}                                                | messages
            {"model":"demo"}                                                              | messages
            {"model":42,"messages":[{"role":"user","content":"x"}]}                        | model
            {"messages":[{"role":"user","content":"x"}]}                                  | model
            {"model":"demo","stream":"yes","messages":[{"role":"user","content":"x"}]}     | stream
            {"model":"demo","max_tokens":"10","messages":[{"role":"user","content":"x"}]}  | max_tokens
            {"model":"demo","max_tokens":1e30,"messages":[{"role":"user","content":"x"}]}  | max_tokens
            {"model":"demo","max_tokens":1000000000000000000000000000000,"messages":[{"role":"user","content":"x"}]} | max_tokens
            {"model":"demo","max_completion_tokens":9223372036854775807,"messages":[{"role":"user","content":"x"}]} | max_completion_tokens
            {"model":"demo","n":2147483648,"messages":[{"role":"user","content":"x"}]}     | n
            {"model":"demo","messages":[{"role":"assistant","content":null,"tool_calls":{"type":null}}]} | messages[0].tool_calls
            {"model":"demo","messages":[{"role":"assistant","content":null,"tool_calls":[7]}]} | messages[0].tool_calls[0]
            {"model":"demo","temperature":"hot","messages":[{"role":"user","content":"x"}]}| temperature
            {"model":"demo","messages":[{"role":"wizard","content":"x"}]}                  | messages[0].role
            {"model":"demo","messages":[{"role":"user","content":42}]}                     | messages[0].content
            {"model":"demo","messages":["hi"]}                                            | messages[0]
            {"model":"demo","stream_options":true,"messages":[{"role":"user","content":"x"}]} | stream_options
            """)
    void wrongTypesAndMissingFieldsNameTheField(String body, String param) {
        HttpResponse<String> response = post("/v1/chat/completions", body);

        assertOpenAiError(response, 400, param);
        assertThat(response.body()).contains("\"param\":\"" + param + "\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /v1/responses  | {"model":"demo","input":42}                              | input
            /v1/responses  | {"model":"demo"}                                         | input
            /v1/responses  | {"model":"demo","input":"hi","instructions":7}           | instructions
            /v1/embeddings | {"model":"demo","input":[]}                              | input
            /v1/embeddings | {"model":"demo","input":""}                              | input
            /v1/embeddings | {"model":"demo","input":"x","encoding_format":"hex"}     | encoding_format
            /v1/embeddings | {"model":"demo","input":[{"a":1}]}                       | input[0]
            /v1/embeddings | {"model":"demo","input":"x","dimensions":99999999999999999999} | dimensions
            /v1/responses  | {"model":"demo","input":"hi","max_output_tokens":9223372036854775807} | max_output_tokens
            """)
    void otherSurfacesCheckTheirFieldsToo(String path, String body, String param) {
        HttpResponse<String> response = post(path, body);

        assertOpenAiError(response, 400, param);
    }

    @Test
    void demoEmbeddingsBeyondWhatTheDemoBuildsInMemoryGetA400NotAnOutOfMemoryError() {
        // 1,024 inputs x 3,072 dimensions: 3,145,728 values, over the demo's 2,097,152 (~40 MB of JSON per answer).
        String inputs = "[" + "\"some text\",".repeat(1023) + "\"last\"]";
        HttpResponse<String> refused = post("/v1/embeddings",
                "{\"model\":\"demo\",\"dimensions\":3072,\"input\":" + inputs + "}");
        assertOpenAiError(refused, 400, "1024 inputs x 3072 dimensions = 3145728");
        assertThat(refused.body()).contains("\"param\":\"input\"");

        HttpResponse<String> answered = post("/v1/embeddings",
                "{\"model\":\"demo\",\"dimensions\":2048,\"input\":" + inputs + "}");
        assertThat(answered.statusCode()).as("exactly at the cap").isEqualTo(200);
    }

    @Test
    void unknownFieldsPassThroughToTheProvider() {
        String body = "{\"model\":\"solo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"x_note\":1}],"
                + "\"vendor_flag\":{\"deep\":[1,2,3]},\"reasoning\":{\"effort\":\"high\"}}";

        HttpResponse<String> response = post("/v1/chat/completions", body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(PRIMARY.received().get(0).body()).contains("\"vendor_flag\":{\"deep\":[1,2,3]}")
                .contains("\"x_note\":1").contains("\"reasoning\":{\"effort\":\"high\"}");
    }

    @Test
    void invalidUtf8() {
        byte[] body = "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"\u0000\"}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        body[body.length - 5] = (byte) 0xC3; // a lead byte followed by '"' is not UTF-8
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/v1/chat/completions"))
                .header("authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        assertOpenAiError(response, 400, "not valid JSON");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                                                 | empty
            '   '                                              | empty
            '[1,2,3]'                                          | JSON object
            '"text"'                                           | JSON object
            '{"model":"demo","model":"gpt-4o","messages":[]}'  | Duplicate
            """)
    void bodiesThatAreNotOneJsonObject(String body, String message) {
        HttpResponse<String> response = post("/v1/chat/completions", body);

        assertOpenAiError(response, 400, message);
    }

    @Test
    void absurdNestingIsRefused() {
        String body = "{\"model\":\"demo\",\"x\":" + "[".repeat(5000) + "]".repeat(5000)
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";

        assertOpenAiError(post("/v1/chat/completions", body), 400, "");
    }

    @Test
    void wrongRevokedAndMissingKeys() {
        String body = chat("demo", "x", false);
        assertOpenAiError(post("/v1/chat/completions", body, Map.of("authorization", "Bearer wk-nope")), 401,
                "invalid virtual key");
        assertOpenAiError(post("/v1/chat/completions", body, Map.of("authorization", "Bearer sk-real-openai-key")),
                401, "invalid virtual key");
        assertOpenAiError(post("/v1/chat/completions", body, Map.of()), 401, "missing API key");

        String revoked = newKey(java.util.List.of());
        String id = keys.findByHash(dev.warden.gateway.auth.KeyMaterial.hash(revoked)).orElseThrow().id();
        assertThat(post("/v1/chat/completions", body, Map.of("authorization", "Bearer " + revoked)).statusCode())
                .isEqualTo(200);
        keys.revoke(id, Instant.now());
        authenticator.invalidate();
        assertOpenAiError(post("/v1/chat/completions", body, Map.of("authorization", "Bearer " + revoked)), 401,
                "revoked");
    }

    @Test
    void theKeyIsNeverEchoed() {
        String secretLooking = "wk-" + "S".repeat(43);
        HttpResponse<String> response = post("/v1/chat/completions", chat("demo", "x", false),
                Map.of("authorization", "Bearer " + secretLooking));

        assertThat(response.body()).doesNotContain(secretLooking);
    }

    @Test
    void oversizedHeadersAnswerInOpenAiShapeNotHtml() {
        HttpResponse<String> response = post("/v1/chat/completions", chat("demo", "x", false),
                Map.of("authorization", "Bearer " + key, "x-padding", "a".repeat(100_000)));

        assertOpenAiError(response, 400, "headers larger than the limit");
    }

    @Test
    void unknownPathsAndMethodsAnswerInOpenAiShape() {
        HttpResponse<String> unknown = post("/v1/nothing-here", "{}");
        assertOpenAiError(unknown, 404, "Unknown path");
        HttpResponse<String> method = send(HttpRequest.newBuilder(url("/v1/chat/completions")).GET().build());
        assertOpenAiError(method, 405, "not allowed");
    }

    @Test
    void anthropicSurfaceAnswersInAnthropicShape() {
        HttpResponse<String> response = post("/anthropic/v1/messages", "{\"model\":\"demo\",\"messages\":[]}",
                Map.of("x-api-key", key));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"");

        HttpResponse<String> huge = post("/anthropic/v1/messages", "{\"model\":\"demo\",\"max_tokens\":"
                + "9223372036854775807,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", Map.of("x-api-key", key));
        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(400);
        assertThat(huge.body()).contains("max_tokens").contains("an integer from 1 to 2147483647");
    }

    @Test
    void aCompressedBodyIsRefusedNamingTheCoding() throws Exception {
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
            gzip.write(chat("demo", "squeezed", false).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        for (int toPort : new int[] {port, apiListener.port()}) {
            HttpResponse<String> response = send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + toPort + "/v1/chat/completions"))
                    .header("authorization", "Bearer " + key).header("content-type", "application/json")
                    .header("content-encoding", "gzip")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray())).build());

            assertOpenAiError(response, 415, "Content-Encoding gzip is not supported");
        }
    }

    @Test
    void aCountFromAnotherSurfaceIsOnlyReadAndNeverOverflows() {
        // max_output_tokens is the Responses API's field: the chat surface passes it on, the budget estimate reads it.
        HttpResponse<String> response = post("/v1/chat/completions", "{\"model\":\"demo\",\"max_output_tokens\":"
                + "100000000000000000000000000000,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    static void assertOpenAiError(HttpResponse<String> response, int status, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        assertThat(response.body()).startsWith("{\"error\":{\"message\":").contains(messagePart)
                .contains("\"type\":").contains("\"code\":")
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.warden");
    }
}
