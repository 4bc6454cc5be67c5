package dev.warden.gateway.surface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.testing.FakeUpstream;
import dev.warden.gateway.testing.GatewayTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Request bodies held in memory at once are bounded: when they are, a further large body waits for room and is then
 * refused with 503 and {@code Retry-After} in the caller's protocol, instead of the heap running out under many large
 * prompts. Small requests that fit go through meanwhile; room given back is reused.
 */
class InflightBodyLimitTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("warden.limits.max-body-size", () -> "64KB");
        registry.add("warden.limits.inflight-body-limit", () -> "100KB");
        registry.add("warden.limits.inflight-body-wait", () -> "300ms");
    }

    @Autowired
    MeterRegistry meters;

    @Test
    void aLargeBodyFindingTheBudgetSpentGets503InItsOwnProtocolAndRoomIsReusedOnceGivenBack() throws Exception {
        String large = chat("a".repeat(60_000));
        try (Socket slow = slowCaller(large)) {

            HttpResponse<String> refused = post("/v1/chat/completions", large);
            BadInputTest.assertOpenAiError(refused, 503, "warden.limits.inflight-body-limit");
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(refused.body()).contains("\"code\":\"service_unavailable\"");

            HttpResponse<String> anthropic = post("/anthropic/v1/messages", "{\"model\":\"demo\",\"max_tokens\":16,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"" + "b".repeat(60_000) + "\"}]}",
                    Map.of("x-api-key", key));
            assertThat(anthropic.statusCode()).isEqualTo(503);
            assertThat(anthropic.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"");

            HttpResponse<String> small = post("/v1/chat/completions", chat("hello"));
            assertThat(small.statusCode()).as("a small body still fits").isEqualTo(200);
        }
        // The slow caller hung up: its room is given back and a large body is admitted again.
        awaitInflight(0, 0);
        HttpResponse<String> admitted = post("/v1/chat/completions", large);
        assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
        assertThat(meters.get("warden.inflight.body.limit.bytes").gauge().value()).isEqualTo(100 * 1024);
    }

    @Test
    void aLargeProviderAnswerFindingTheBudgetSpentIsStillDeliveredAndItsRoomGivenBack() throws Exception {
        String text = "z".repeat(80_000);
        PRIMARY.respond(FakeUpstream.json(200, "{\"id\":\"chatcmpl-big\",\"object\":\"chat.completion\","
                + "\"model\":\"up\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                + text + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,"
                + "\"total_tokens\":2}}"));
        double overdraftsBefore = meters.get("warden.inflight.answer.overdrafts").functionCounter().count();
        try (Socket slow = slowCaller(chat("a".repeat(60_000)))) {

            // 80 KB of answer against the 40 KB left: it waits the 300 ms, then is read anyway (the provider answered).
            HttpResponse<String> answered = post("/v1/chat/completions",
                    "{\"model\":\"solo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
            assertThat(answered.body()).contains(text);
            assertThat(meters.get("warden.inflight.answer.overdrafts").functionCounter().count())
                    .isEqualTo(overdraftsBefore + 1);
            awaitInflight(60_000, 61_440 + 1024); // the answer's room was given back; the slow body still holds its
        }
        awaitInflight(0, 0);
    }

    /**
     * A caller that declared {@code body} and has sent only its first 100 bytes: its body's room is taken when reading
     * starts, and held until it hangs up. Returns once the gateway holds that room.
     */
    private Socket slowCaller(String body) throws Exception {
        Socket slow = new Socket("127.0.0.1", port);
        OutputStream out = slow.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body.substring(0, 100).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        awaitInflight(body.length(), Long.MAX_VALUE);
        return slow;
    }

    private static String chat(String content) {
        return "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    private void awaitInflight(long atLeast, long atMost) throws InterruptedException {
        double bytes = -1;
        for (int i = 0; i < 200; i++) {
            bytes = meters.get("warden.inflight.body.bytes").gauge().value();
            if (bytes >= atLeast && bytes <= atMost) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("in-flight body bytes " + bytes + " (expected: " + atLeast + ".." + atMost + ")");
    }
}
