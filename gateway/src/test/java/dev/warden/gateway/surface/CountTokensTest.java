package dev.warden.gateway.surface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.testing.GatewayTestSupport;
import dev.warden.ledger.Ledger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Anthropic's {@code POST /v1/messages/count_tokens} (Claude Code asks it every turn): through the pipeline like any
 * request that may leave (key, model allow-list, input guardrails, a durable request entry), free of budget and
 * request rate, on both ports; a model whose providers cannot count gets an error, never a made-up count.
 */
class CountTokensTest extends GatewayTestSupport {
    private static final String COUNT = """
            {"model":"demo","system":[{"type":"text","text":"You are Claude Code","cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"user","content":"count me, my card is 4111 1111 1111 1111"}],
             "tools":[{"name":"Read","input_schema":{"type":"object"}}]}""";

    @Autowired
    Ledger ledger;

    private HttpResponse<String> count(int toPort, String body, String apiKey) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + toPort
                        + "/anthropic/v1/messages/count_tokens?beta=true"))
                .header("x-api-key", apiKey).header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "token-counting-2024-11-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void countsOnBothPortsAndIsRecordedWithoutTheText() throws Exception {
        for (int toPort : new int[] {port, apiListener.port()}) {
            HttpResponse<String> counted = count(toPort, COUNT, key);

            assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
            assertThat(counted.body()).matches("\\{\"input_tokens\":[1-9]\\d*}");
            String id = counted.headers().firstValue("x-request-id").orElseThrow();
            ledger.checkpoint();
            List<String> entries = ledgerLines(ledger.dir()).stream().filter(l -> l.contains(id)).toList();
            assertThat(entries).anyMatch(l -> l.contains("\"kind\":\"request\"")
                    && l.contains("\"surface\":\"messages.count_tokens\""));
            assertThat(entries).filteredOn(l -> l.contains("\"kind\":\"response\"")).singleElement()
                    .satisfies(l -> assertThat(l).as("counting is free").doesNotContain("cost_usd"));
            assertThat(String.join("\n", entries)).doesNotContain("4111 1111").doesNotContain("count me");
        }
    }

    @Test
    void needsAKeyAndAnAllowedModel() {
        HttpResponse<String> noKey = count(port, COUNT, "wk-wrong");
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"");

        HttpResponse<String> otherModel = count(port, COUNT, newKey(List.of("gpt-test")));
        assertThat(otherModel.statusCode()).isEqualTo(403);
        assertThat(otherModel.body()).contains("permission_error");
    }

    @Test
    void refusesFieldsOfACreateRequestAndBadInputInAnthropicShape() {
        HttpResponse<String> withMax = count(port, COUNT.replace("\"model\":\"demo\",",
                "\"model\":\"demo\",\"max_tokens\":10,"), key);
        assertThat(withMax.statusCode()).isEqualTo(400);
        assertThat(withMax.body()).contains("max_tokens: not a count_tokens field");

        HttpResponse<String> streamed = count(port, COUNT.replace("\"model\":\"demo\",",
                "\"model\":\"demo\",\"stream\":true,"), key);
        assertThat(streamed.statusCode()).isEqualTo(400);

        HttpResponse<String> noMessages = count(apiListener.port(), "{\"model\":\"demo\"}", key);
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(noMessages.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"")
                .contains("messages");
    }

    @Test
    void aModelWhoseProvidersCannotCountIsAnErrorNotAMadeUpCount() {
        // gpt-test is served by OpenAI-compatible upstreams, which have no token counting.
        HttpResponse<String> response = count(port, COUNT.replace("\"demo\"", "\"gpt-test\""), key);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("none of its providers counts tokens").contains("estimate locally");
        assertThat(response.body()).doesNotContain("input_tokens");
    }

    @Test
    void isNotChargedToTheKeysRequestRate() {
        HttpResponse<String> created = admin("POST", "/admin/api/keys", "{\"name\":\"counting-" + System.nanoTime()
                + "\",\"models\":[\"demo\"],\"rate_limit\":{\"rpm\":1}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String limited = created.body().replaceAll(".*\"key\":\"(wk-[^\"]+)\".*", "$1");

        for (int i = 0; i < 5; i++) {
            assertThat(count(port, COUNT, limited).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> real = post("/anthropic/v1/messages", "{\"model\":\"demo\",\"max_tokens\":20,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of("x-api-key", limited));
        assertThat(real.statusCode()).as("the one request a minute is still there").isEqualTo(200);
        HttpResponse<String> second = post("/anthropic/v1/messages", "{\"model\":\"demo\",\"max_tokens\":20,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of("x-api-key", limited));
        assertThat(second.statusCode()).as("and the limit itself still holds").isEqualTo(429);
    }

}
