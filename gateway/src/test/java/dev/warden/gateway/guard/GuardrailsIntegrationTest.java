package dev.warden.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.testing.FakeUpstream;
import dev.warden.gateway.testing.GatewayTestSupport;
import dev.warden.ledger.Ledger;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class GuardrailsIntegrationTest extends GatewayTestSupport {
    static final String EMAIL = "jane.doe@example.com";
    static final String CARD = "4111 1111 1111 1111";

    @Autowired
    Ledger ledger;

    @Test
    void personalDataIsRedactedBeforeThePromptLeavesAndTheVerdictIsRecorded() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", "{\"model\":\"solo\",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"mail " + EMAIL + " and charge card " + CARD + " for order 1234-5678\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"send\",\"arguments\":\"{\\\"to\\\":\\\"" + EMAIL + "\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"sent to " + EMAIL + "\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        String sent = PRIMARY.received().get(0).body();
        assertThat(sent).doesNotContain(EMAIL).doesNotContain(CARD).contains("[EMAIL_1]").contains("order 1234-5678");
        assertThat(sent).contains("\\\"to\\\":\\\"[EMAIL_1]\\\"").contains("sent to [EMAIL_1]");

        ledger.checkpoint();
        List<String> lines = ledgerLines(ledger.dir());
        String id = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(lines).anyMatch(l -> l.contains(id) && l.contains("\"kind\":\"guardrail_verdict\"")
                && l.contains("\"entity.EMAIL\":\"3\""));
        assertThat(String.join("\n", lines)).doesNotContain(EMAIL).doesNotContain(CARD);
    }

    @Test
    void everySurfaceIsCovered() {
        String[][] calls = {
                {"/v1/responses", "{\"model\":\"demo\",\"input\":\"reach me at " + EMAIL + "\"}"},
                {"/v1/responses", "{\"model\":\"demo\",\"stream\":true,\"input\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"input_text\",\"text\":\"reach me at " + EMAIL + "\"}]}]}"},
                {"/anthropic/v1/messages", "{\"model\":\"demo\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
                        + "\"content\":[{\"type\":\"text\",\"text\":\"reach me at " + EMAIL + "\"}]}]}"},
                {"/v1/chat/completions", chat("demo", "reach me at " + EMAIL, true)},
        };
        for (String[] call : calls) {
            HttpResponse<String> response = post(call[0], call[1], Map.of("authorization", "Bearer " + key,
                    "x-api-key", key));
            assertThat(response.statusCode()).as(call[0]).isEqualTo(200);
            // The demo echoes what it received: the provider only ever saw the placeholder.
            assertThat(response.body()).as(call[0]).contains("[EMAIL_1]").doesNotContain(EMAIL);
        }
    }

    @Test
    void anEnforcingPolicyBlocksAndNothingLeaves() {
        String strict = newKey(List.of(), Map.of("guardrail_policy", "strict"));

        HttpResponse<String> response = post("/v1/chat/completions", chat("solo", "my card is " + CARD, false),
                Map.of("authorization", "Bearer " + strict));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"content_policy_violation\"").doesNotContain(CARD);
        assertThat(PRIMARY.received()).isEmpty();
    }

    @Test
    void aStreamedAnswerIsRedactedEvenWhenAValueIsSplitAcrossChunks() {
        String both = newKey(List.of(), Map.of("guardrail_policy", "both"));
        PRIMARY.respond((request, exchange) -> FakeUpstream.sse(exchange,
                FakeUpstream.chatChunks("Write to " + EMAIL + " today, thanks a lot for asking", 7, true),
                java.time.Duration.ZERO, -1));

        HttpResponse<String> response = post("/v1/chat/completions", chat("solo", "who should I write to?", true),
                Map.of("authorization", "Bearer " + both));

        assertThat(response.statusCode()).isEqualTo(200);
        String text = String.join("", response.body().lines().filter(l -> l.startsWith("data: {"))
                .map(l -> l.replaceAll(".*\"content\":\"([^\"]*)\".*", "$1")).filter(l -> !l.startsWith("data:"))
                .toList());
        assertThat(response.body()).doesNotContain("jane.doe").doesNotContain("example.com").endsWith("[DONE]\n\n");
        assertThat(text).contains("Write to [EMAIL_1] today");
    }

    @Test
    void aJsonAnswerIsRedactedToo() {
        String both = newKey(List.of(), Map.of("guardrail_policy", "both"));
        PRIMARY.respond(FakeUpstream.chat("Contact " + EMAIL + " for details"));

        HttpResponse<String> response = post("/v1/chat/completions", chat("solo", "who?", false),
                Map.of("authorization", "Bearer " + both));

        assertThat(response.body()).contains("Contact [EMAIL_1] for details").doesNotContain(EMAIL);
    }
}
