package dev.warden.gateway.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.warden.gateway.testing.GatewayTestSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, unchanged but for base URL and key, against a running gateway. */
class OpenAiSdkTest extends GatewayTestSupport {

    /** The port the client is pointed at: Tomcat's main port here, the API listener's in the subclass. */
    protected int clientPort() {
        return port;
    }


    private OpenAIClient client(String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + clientPort() + "/v1").apiKey(apiKey)
                .maxRetries(0).build();
    }

    @Test
    void chatCompletion() {
        ChatCompletion completion = client(key).chat().completions().create(ChatCompletionCreateParams.builder()
                .model("demo").addUserMessage("hello sdk").build());

        assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(
                text -> assertThat(text).contains("hello sdk"));
        assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
    }

    @Test
    void chatCompletionStream() {
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream = client(key).chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("demo").addUserMessage("stream please").build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunks++;
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
            }
        }
        assertThat(chunks).isGreaterThan(3);
        assertThat(text.toString()).contains("stream please");
    }

    @Test
    void responses() {
        Response response = client(key).responses().create(ResponseCreateParams.builder().model("demo")
                .input("hello responses").build());

        assertThat(response.output()).isNotEmpty();
        assertThat(response.output().get(0).asMessage().content().get(0).asOutputText().text())
                .contains("hello responses");
        assertThat(response.usage()).hasValueSatisfying(u -> assertThat(u.outputTokens()).isPositive());
    }

    @Test
    void responsesStream() {
        List<String> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ResponseStreamEvent> stream = client(key).responses().createStreaming(
                ResponseCreateParams.builder().model("demo").input("streamed responses").build())) {
            stream.stream().forEach(event -> {
                event.outputTextDelta().ifPresent(d -> text.append(d.delta()));
                event.created().ifPresent(e -> types.add("created"));
                event.completed().ifPresent(e -> {
                    types.add("completed");
                    assertThat(e.response().usage()).isPresent();
                });
            });
        }
        assertThat(types).containsExactly("created", "completed");
        assertThat(text.toString()).contains("streamed responses");
    }

    @Test
    void embeddingsInTheSdksDefaultBase64Encoding() {
        CreateEmbeddingResponse response = client(key).embeddings().create(EmbeddingCreateParams.builder()
                .model("demo").input("embed me").dimensions(16).build());

        List<Float> vector = response.data().get(0).embedding();
        assertThat(vector).hasSize(16);
        double norm = vector.stream().mapToDouble(v -> v * v).sum();
        assertThat(norm).isBetween(0.99, 1.01);
    }

    @Test
    void wrongKey() {
        assertThatThrownBy(() -> client("wk-wrong").chat().completions().create(ChatCompletionCreateParams.builder()
                .model("demo").addUserMessage("x").build()))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("invalid virtual key");
    }
}
