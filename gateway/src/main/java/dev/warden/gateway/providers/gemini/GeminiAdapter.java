package dev.warden.gateway.providers.gemini;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.providers.Capability;
import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.providers.ProviderHttp;
import dev.warden.gateway.providers.UpstreamCall;
import dev.warden.gateway.providers.UpstreamException;
import dev.warden.gateway.providers.UpstreamResponses;
import dev.warden.gateway.providers.translate.Json;
import dev.warden.gateway.providers.translate.Translation;
import dev.warden.gateway.surface.CanonicalRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google Gemini through the Generative Language API: {@code models/{model}:generateContent}, and
 * {@code :streamGenerateContent?alt=sse} for streams, authenticated with {@code x-goog-api-key}. Every caller
 * protocol (Chat Completions, Responses, Anthropic Messages) is translated both ways; OpenAI embeddings go to
 * {@code :batchEmbedContents}.
 */
@Component
public class GeminiAdapter implements ProviderAdapter {
    public static final URI DEFAULT_BASE_URL = URI.create("https://generativelanguage.googleapis.com/v1beta");
    private static final Set<String> FOREIGN_HEADERS = Set.of("openai-", "anthropic-", "x-stainless-");

    private final ProviderHttp http;

    public GeminiAdapter(UpstreamHttp http) {
        this.http = new ProviderHttp(http);
    }

    @Override
    public String type() {
        return "gemini";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CHAT_COMPLETIONS, Capability.RESPONSES, Capability.ANTHROPIC_MESSAGES,
                Capability.COUNT_TOKENS, Capability.EMBEDDINGS, Capability.STREAMING, Capability.TOOLS,
                Capability.VISION, Capability.REASONING);
    }

    /** OpenAI embeddings through {@code batchEmbedContents}. */
    private Reply embed(UpstreamCall call) throws UpstreamException {
        List<String> inputs = GeminiEmbeddings.inputs(call);
        URI base = call.endpoint().baseUrl() != null ? call.endpoint().baseUrl() : DEFAULT_BASE_URL;
        String model = URLEncoder.encode(call.upstreamModel(), StandardCharsets.UTF_8);
        HttpRequest.Builder builder = http.post(call, UpstreamResponses.resolve(base, "/models/" + model
                + ":batchEmbedContents"), GeminiEmbeddings.writeRequest(inputs, call.upstreamModel(),
                call.request().body()), false, FOREIGN_HEADERS);
        if (call.credential() != null) {
            builder.setHeader("x-goog-api-key", call.credential());
        }
        JsonNode answer = http.readJson(call, http.send(call, builder.build()));
        call.exchange().put(Usage.ATTRIBUTE, GeminiEmbeddings.usage(inputs));
        return new Reply.Json(200, Json.MAPPER.writeValueAsBytes(GeminiEmbeddings.answer(answer, inputs,
                call.request().model(), call.request().body())), Map.of());
    }

    /**
     * Anthropic's count_tokens through {@code models/{model}:countTokens}, with the whole request as
     * {@code generateContentRequest} so that system instruction and tools count as they would be billed.
     */
    private Reply countTokens(UpstreamCall call) throws UpstreamException {
        URI base = call.endpoint().baseUrl() != null ? call.endpoint().baseUrl() : DEFAULT_BASE_URL;
        String model = URLEncoder.encode(call.upstreamModel(), StandardCharsets.UTF_8);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("generateContentRequest", GeminiCodec.countedRequest(Translation.conversation(call.request()))
                .put("model", "models/" + call.upstreamModel()));
        HttpRequest.Builder builder = http.post(call, UpstreamResponses.resolve(base, "/models/" + model
                + ":countTokens"), body, false, FOREIGN_HEADERS);
        if (call.credential() != null) {
            builder.setHeader("x-goog-api-key", call.credential());
        }
        // countTokens answers {"totalTokens": n}: the input a generateContent request would be charged for.
        return UpstreamResponses.tokenCount(http.readJson(call, http.send(call, builder.build())), "totalTokens",
                "countTokens", call, Map.of());
    }

    @Override
    public Reply send(UpstreamCall call) throws UpstreamException {
        CanonicalRequest request = call.request();
        if (request.surface() == Surface.EMBEDDINGS) {
            return embed(call);
        }
        if (request.surface() == Surface.ANTHROPIC_COUNT_TOKENS) {
            return countTokens(call);
        }
        if (!Translation.translatable(request.surface())) {
            throw UpstreamException.protocol("gemini adapter cannot serve " + request.surface());
        }
        ObjectNode body = GeminiCodec.writeRequest(Translation.conversation(request));
        URI base = call.endpoint().baseUrl() != null ? call.endpoint().baseUrl() : DEFAULT_BASE_URL;
        String model = URLEncoder.encode(call.upstreamModel(), StandardCharsets.UTF_8);
        String path = "/models/" + model + (request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent");
        HttpRequest.Builder builder = http.post(call, UpstreamResponses.resolve(base, path), body, request.stream(),
                FOREIGN_HEADERS);
        if (call.credential() != null) {
            builder.setHeader("x-goog-api-key", call.credential());
        }
        HttpResponse<InputStream> response = http.send(call, builder.build());
        Map<String, String> headers = new LinkedHashMap<>();
        if (!request.stream()) {
            return Translation.answer(call, GeminiCodec.parseAnswer(http.readJson(call, response)), headers);
        }
        return Translation.stream(call, http.events(call, response), GeminiCodec::parseStream, headers,
                System.nanoTime());
    }
}
