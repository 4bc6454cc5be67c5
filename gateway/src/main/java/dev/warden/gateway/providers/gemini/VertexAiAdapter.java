package dev.warden.gateway.providers.gemini;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.providers.Capability;
import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.providers.ProviderHttp;
import dev.warden.gateway.providers.UpstreamCall;
import dev.warden.gateway.providers.UpstreamException;
import dev.warden.gateway.providers.UpstreamResponses;
import dev.warden.gateway.providers.translate.Translation;
import dev.warden.gateway.surface.CanonicalRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gemini on Google Cloud Vertex AI: the same {@code generateContent} format as {@link GeminiAdapter}, at
 * {@code https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google/
 * models/{model}:generateContent} (and {@code :streamGenerateContent?alt=sse}). Options: {@code project} (required),
 * {@code location} (default {@value #DEFAULT_LOCATION}). The credential is a service-account JSON key, exchanged for
 * an OAuth token (cached); with option {@code auth=access-token} it is used as a bearer token as it is.
 */
@Component
public class VertexAiAdapter implements ProviderAdapter {
    public static final String DEFAULT_LOCATION = "us-central1";
    private static final Set<String> FOREIGN_HEADERS = Set.of("openai-", "anthropic-", "x-stainless-");

    private final ProviderHttp http;
    private final ServiceAccountTokens tokens;

    public VertexAiAdapter(UpstreamHttp http) {
        this.http = new ProviderHttp(http);
        this.tokens = new ServiceAccountTokens(http, Clock.systemUTC());
    }

    @Override
    public String type() {
        return "vertex-ai";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CHAT_COMPLETIONS, Capability.RESPONSES, Capability.ANTHROPIC_MESSAGES,
                Capability.COUNT_TOKENS, Capability.STREAMING, Capability.TOOLS, Capability.VISION,
                Capability.REASONING);
    }

    @Override
    public Reply send(UpstreamCall call) throws UpstreamException {
        CanonicalRequest request = call.request();
        boolean counting = request.surface() == Surface.ANTHROPIC_COUNT_TOKENS;
        if (!counting && !Translation.translatable(request.surface())) {
            throw UpstreamException.protocol("vertex-ai adapter cannot serve " + request.surface());
        }
        String project = call.endpoint().option("project");
        if (project == null || project.isBlank()) {
            throw UpstreamException.protocol("vertex-ai provider " + call.endpoint().name()
                    + ": option project missing (expected: the Google Cloud project id)");
        }
        String location = call.endpoint().option("location") != null ? call.endpoint().option("location")
                : DEFAULT_LOCATION;
        URI base = call.endpoint().baseUrl() != null ? call.endpoint().baseUrl()
                : URI.create("global".equals(location) ? "https://aiplatform.googleapis.com/v1"
                : "https://" + location + "-aiplatform.googleapis.com/v1");
        String path = "/projects/" + enc(project) + "/locations/" + enc(location) + "/publishers/google/models/"
                + enc(call.upstreamModel())
                + (counting ? ":countTokens"
                : request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent");
        // countTokens on Vertex takes contents, systemInstruction and tools at the top level.
        ObjectNode body = counting ? GeminiCodec.countedRequest(Translation.conversation(request))
                : GeminiCodec.writeRequest(Translation.conversation(request));
        HttpRequest.Builder builder = http.post(call, UpstreamResponses.resolve(base, path), body, request.stream(),
                FOREIGN_HEADERS);
        if (call.credential() != null) {
            String token = "access-token".equalsIgnoreCase(call.endpoint().option("auth")) ? call.credential()
                    : tokens.token(call, call.credential());
            builder.setHeader("authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response = http.send(call, builder.build());
        Map<String, String> headers = new LinkedHashMap<>();
        if (counting) {
            return UpstreamResponses.tokenCount(http.readJson(call, response), "totalTokens", "countTokens", call,
                    headers);
        }
        if (!request.stream()) {
            return Translation.answer(call, GeminiCodec.parseAnswer(http.readJson(call, response)), headers);
        }
        return Translation.stream(call, http.events(call, response), GeminiCodec::parseStream, headers,
                System.nanoTime());
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
