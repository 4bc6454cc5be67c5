package dev.warden.gateway.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.warden.gateway.testing.GatewayTestSupport;
import org.junit.jupiter.api.Test;

/** The official Anthropic Java SDK, unchanged but for base URL and key, against /anthropic/v1/messages. */
class AnthropicSdkTest extends GatewayTestSupport {

    /** The port the client is pointed at: Tomcat's main port here, the API listener's in the subclass. */
    protected int clientPort() {
        return port;
    }


    private AnthropicClient client(String apiKey) {
        return AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + clientPort() + "/anthropic").apiKey(apiKey)
                .maxRetries(0).build();
    }

    private static MessageCreateParams params(String text) {
        return MessageCreateParams.builder().model("demo").maxTokens(200).addUserMessage(text).build();
    }

    @Test
    void message() {
        Message message = client(key).messages().create(params("hello anthropic sdk"));

        assertThat(message.content().get(0).text()).hasValueSatisfying(
                block -> assertThat(block.text()).contains("hello anthropic sdk"));
        assertThat(message.usage().outputTokens()).isPositive();
    }

    @Test
    void streamedMessage() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        int events = 0;
        try (StreamResponse<RawMessageStreamEvent> stream = client(key).messages()
                .createStreaming(params("stream through warden"))) {
            for (RawMessageStreamEvent event : (Iterable<RawMessageStreamEvent>) stream.stream()::iterator) {
                accumulator.accumulate(event);
                events++;
            }
        }
        Message message = accumulator.message();
        assertThat(events).isGreaterThan(4);
        assertThat(message.content().get(0).text()).hasValueSatisfying(
                block -> assertThat(block.text()).contains("stream through warden"));
        assertThat(message.usage().outputTokens()).isPositive();
    }

    @Test
    void countTokens() {
        MessageTokensCount count = client(key).messages().countTokens(MessageCountTokensParams.builder().model("demo")
                .system("You are Claude Code").addUserMessage("how many tokens is this?").build());

        assertThat(count.inputTokens()).isPositive();
    }

    @Test
    void wrongKey() {
        assertThatThrownBy(() -> client("wk-wrong").messages().create(params("x")))
                .isInstanceOf(UnauthorizedException.class);
    }
}
