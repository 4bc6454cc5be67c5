package dev.warden.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.testing.FakeUpstream;
import dev.warden.gateway.testing.GatewayTestSupport;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingIntegrationTest extends GatewayTestSupport {

    @Test
    void servesFromTheFirstTargetWithItsModelAndAProviderCredential() {
        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", "hello", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("upstream says hi");
        assertThat(PRIMARY.received()).hasSize(1);
        FakeUpstream.Received received = PRIMARY.received().get(0);
        assertThat(received.path()).isEqualTo("/v1/chat/completions");
        assertThat(received.body()).contains("\"model\":\"up-model\"");
        assertThat(received.headers().get("authorization")).isIn("Bearer " + PRIMARY_SECRET_A,
                "Bearer " + PRIMARY_SECRET_B);
        assertThat(received.body()).doesNotContain(key);
        assertThat(response.headers().firstValue("x-warden-overhead-ms")).hasValueSatisfying(
                v -> assertThat(Double.parseDouble(v)).isGreaterThanOrEqualTo(0));
        assertThat(SECONDARY.received()).isEmpty();
    }

    @Test
    void fallsBackToTheNextTargetOn5xx() {
        PRIMARY.respond(FakeUpstream.error(503, "overloaded"));

        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", "hello", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(SECONDARY.received()).hasSize(1);
        assertThat(SECONDARY.received().get(0).body()).contains("\"model\":\"up-model-2\"");
    }

    @Test
    void triesTheOtherCredentialThenTheNextTargetOn429AndRestsTheCredentials() {
        PRIMARY.respond(FakeUpstream.error(429, "slow down", "retry-after", "20"));

        HttpResponse<String> first = post("/v1/chat/completions", chat("gpt-test", "one", false));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(PRIMARY.received()).hasSize(2);
        assertThat(PRIMARY.received()).extracting(r -> r.headers().get("authorization"))
                .containsExactlyInAnyOrder("Bearer " + PRIMARY_SECRET_A, "Bearer " + PRIMARY_SECRET_B);

        HttpResponse<String> second = post("/v1/chat/completions", chat("gpt-test", "two", false));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(PRIMARY.received()).as("both primary credentials rest for Retry-After").hasSize(2);
        assertThat(SECONDARY.received()).hasSize(2);
    }

    @Test
    void answers429WithRetryAfterWhenEveryTargetRateLimits() {
        PRIMARY.respond(FakeUpstream.error(429, "slow down", "retry-after", "7"));
        SECONDARY.respond(FakeUpstream.error(429, "slow down", "retry-after", "3"));

        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", "hello", false));

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("3");
        assertThat(response.body()).contains("\"type\":\"rate_limit_error\"");
    }

    @Test
    void fallsBackOnTimeout() {
        PRIMARY.respond(FakeUpstream.delayed(Duration.ofSeconds(3), FakeUpstream.chat("too late")));

        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", "hello", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("upstream says hi");
        assertThat(SECONDARY.received()).hasSize(1);
    }

    @Test
    void fallsBackOnConnectionRefused() {
        HttpResponse<String> response = post("/v1/chat/completions", chat("dead-first", "hello", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(SECONDARY.received()).hasSize(1);
    }

    @Test
    void restsACredentialThePproviderRejectsAndUsesTheOther() {
        PRIMARY.respond((request, exchange) -> {
            if (("Bearer " + PRIMARY_SECRET_A).equals(request.headers().get("authorization"))) {
                FakeUpstream.error(401, "Incorrect API key provided: " + PRIMARY_SECRET_A).answer(request, exchange);
            } else {
                FakeUpstream.chat("served by b").answer(request, exchange);
            }
        });

        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = post("/v1/chat/completions", chat("solo", "hello", false));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("served by b").doesNotContain(PRIMARY_SECRET_A);
        }
        long withA = PRIMARY.received().stream()
                .filter(r -> r.headers().get("authorization").endsWith(PRIMARY_SECRET_A)).count();
        assertThat(withA).as("credential a is rested after its first 401").isLessThanOrEqualTo(1);
    }

    @Test
    void answers502NamingTheHopsWhenEveryTargetFails() {
        PRIMARY.respond(FakeUpstream.error(500, "boom"));
        SECONDARY.respond(FakeUpstream.error(502, "bad"));

        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", "hello", false));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("primary/").contains("secondary/default: 502")
                .doesNotContain(PRIMARY_SECRET_A).doesNotContain(PRIMARY_SECRET_B);
    }

    @Test
    void relaysTheProvidersVerdictOnABadRequestWithoutFallingBack() {
        PRIMARY.respond(FakeUpstream.error(400, "This model's maximum context length is 8192 tokens"));

        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", "hello", false));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("maximum context length").contains("\"type\":\"invalid_request_error\"");
        assertThat(SECONDARY.received()).isEmpty();
    }

    @Test
    void failsOverAStreamThatBreaksBeforeItsFirstEvent() {
        PRIMARY.respond(FakeUpstream.brokenChatStream("never", 0));

        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", "hello", true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("upstream says hi".substring(0, 5)).endsWith("data: [DONE]\n\n");
        assertThat(SECONDARY.received()).hasSize(1);
    }

    @Test
    void endsAStreamThatBreaksMidwayWithAnErrorChunkAndDone() {
        PRIMARY.respond(FakeUpstream.brokenChatStream("abcdefghi", 2));

        HttpResponse<String> response = post("/v1/chat/completions", chat("solo", "hello", true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"content\":\"abc\"").contains("\"error\":{")
                .endsWith("data: [DONE]\n\n");
    }

    @Test
    void endsAStreamThatGoesIdleAfterItsFirstEvent() {
        PRIMARY.respond((request, exchange) -> {
            exchange.getResponseHeaders().add("content-type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(("data: " + FakeUpstream.chatChunks("x", 1, false).get(0) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        long start = System.nanoTime();
        HttpResponse<String> response = post("/v1/chat/completions", chat("solo", "hello", true));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2900));
        assertThat(response.body()).contains("\"error\":{").endsWith("data: [DONE]\n\n");
    }

    @Test
    void endsAResponsesStreamThatStopsEarlyWithResponseFailed() {
        PRIMARY.respond((request, exchange) -> FakeUpstream.namedSse(exchange, List.of(
                new String[] {"response.created", "{\"type\":\"response.created\",\"sequence_number\":0,"
                        + "\"response\":{\"id\":\"resp_up1\",\"object\":\"response\",\"status\":\"in_progress\"}}"},
                new String[] {"response.output_text.delta", "{\"type\":\"response.output_text.delta\","
                        + "\"sequence_number\":1,\"item_id\":\"m\",\"output_index\":0,\"content_index\":0,"
                        + "\"delta\":\"partial\"}"})));

        HttpResponse<String> response = post("/v1/responses",
                "{\"model\":\"solo\",\"stream\":true,\"input\":\"hi\"}");

        assertThat(response.body()).contains("event: response.failed").contains("\"id\":\"resp_up1\"")
                .contains("\"sequence_number\":2");
    }

    @Test
    void hidesTheUsageChunkFromCallersWhoDidNotAskButMetersIt() {
        HttpResponse<String> plain = post("/v1/chat/completions", chat("solo", "hello", true));
        assertThat(PRIMARY.received().get(0).body()).contains("\"include_usage\":true");
        assertThat(plain.body()).doesNotContain("\"usage\"");

        HttpResponse<String> asked = post("/v1/chat/completions", "{\"model\":\"solo\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(asked.body()).contains("\"usage\":{\"prompt_tokens\":11");
    }

    @Test
    void neverLetsTheRequestChooseTheUpstreamUrl() {
        try (FakeUpstream attacker = FakeUpstream.start()) {
            String evil = attacker.baseUrl().toString();
            String body = "{\"model\":\"gpt-test\",\"api_base\":\"" + evil + "\",\"base_url\":\"" + evil + "\","
                    + "\"metadata\":{\"api_base\":\"" + evil + "\"},\"extra_body\":{\"litellm_params\":{\"api_base\":\""
                    + evil + "\"}},\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"api_base\":\"" + evil + "\"}]}";

            HttpResponse<String> response = post("/v1/chat/completions", body,
                    Map.of("authorization", "Bearer " + key, "x-forwarded-host", "127.0.0.1:" + attacker.port(),
                            "openai-organization", "org-attacker"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(attacker.received()).isEmpty();
            assertThat(PRIMARY.received()).hasSize(1);
            assertThat(PRIMARY.received().get(0).headers()).doesNotContainKey("openai-organization");
        }
    }

    @Test
    void forwardsTheCallersOwnHeadersButNotItsCredentials() {
        post("/v1/chat/completions", chat("solo", "x", false), Map.of("x-api-key", key, "session_id", "abc",
                "openai-beta", "responses=v1"));

        FakeUpstream.Received received = PRIMARY.received().get(0);
        assertThat(received.headers()).containsEntry("session_id", "abc").containsEntry("openai-beta", "responses=v1")
                .doesNotContainKey("x-api-key");
        assertThat(received.headers().values()).noneMatch(v -> v.contains(key));
    }

    @Test
    void keepsAConversationOnOneCredential() {
        String body = "{\"model\":\"solo\",\"prompt_cache_key\":\"conv-42\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}]}";
        for (int i = 0; i < 8; i++) {
            post("/v1/chat/completions", body);
        }
        assertThat(PRIMARY.received()).extracting(r -> r.headers().get("authorization")).containsOnly(
                PRIMARY.received().get(0).headers().get("authorization"));
    }

    @Test
    void routesPatternModelsWithTheRequestedName() {
        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-pattern-large", "x", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(SECONDARY.received().get(0).body()).contains("\"model\":\"gpt-pattern-large\"");
    }

    @Test
    void answers404ForAnUnknownModel() {
        HttpResponse<String> response = post("/v1/chat/completions", chat("no-such-model", "x", false));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"code\":\"model_not_found\"");
    }
}
