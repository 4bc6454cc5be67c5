package dev.warden.gateway.providers.openai;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.providers.Capability;
import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.providers.ProviderHttp;
import dev.warden.gateway.providers.UpstreamCall;
import dev.warden.gateway.providers.UpstreamException;
import dev.warden.gateway.providers.UpstreamResponses;
import dev.warden.gateway.providers.translate.ChatCodec;
import dev.warden.gateway.providers.translate.Translation;
import dev.warden.gateway.surface.CanonicalRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI and every server that speaks its API (vLLM, Ollama, Groq, Mistral's OpenAI endpoint, corporate proxies).
 * The caller's body passes through with unknown fields intact; only the model name is set to the target's, and
 * streamed chat always asks for usage so spend is metered (the usage chunk is hidden from callers who did not ask).
 */
@Component
public class OpenAiAdapter implements ProviderAdapter {
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com/v1");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private final UpstreamHttp http;
    private final ProviderHttp translated;

    public OpenAiAdapter(UpstreamHttp http) {
        this.http = http;
        this.translated = new ProviderHttp(http);
    }

    @Override
    public String type() {
        return "openai";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CHAT_COMPLETIONS, Capability.RESPONSES, Capability.EMBEDDINGS,
                Capability.ANTHROPIC_MESSAGES, Capability.STREAMING, Capability.TOOLS, Capability.VISION,
                Capability.REASONING);
    }

    /** The URL of an API path ({@code /chat/completions}…); Azure OpenAI overrides it for deployments. */
    protected URI target(UpstreamCall call, String path) throws UpstreamException {
        URI base = call.endpoint().baseUrl() != null ? call.endpoint().baseUrl() : DEFAULT_BASE_URL;
        return UpstreamResponses.resolve(base, path);
    }

    /** Sets the credential header; Azure OpenAI overrides it ({@code api-key}, or an Entra bearer token). */
    protected void authenticate(HttpRequest.Builder builder, UpstreamCall call) {
        if (call.credential() != null) {
            builder.setHeader("authorization", "Bearer " + call.credential());
        }
    }

    @Override
    public Reply send(UpstreamCall call) throws UpstreamException {
        CanonicalRequest request = call.request();
        if (request.surface() == Surface.ANTHROPIC_MESSAGES) {
            return sendTranslated(call);
        }
        String path = switch (request.surface()) {
            case CHAT_COMPLETIONS -> "/chat/completions";
            case RESPONSES -> "/responses";
            case EMBEDDINGS -> "/embeddings";
            default -> throw UpstreamException.protocol("openai adapter cannot serve " + request.surface());
        };
        ObjectNode body = request.body();
        // Each attempt sets these afresh, so mutating the caller's tree is safe across fallbacks.
        body.put("model", call.upstreamModel());
        if (request.stream() && request.surface() == Surface.CHAT_COMPLETIONS) {
            if (acceptsStreamOptions(call)) {
                JsonNode options = body.get("stream_options");
                ObjectNode streamOptions = options instanceof ObjectNode o ? o : body.putObject("stream_options");
                streamOptions.put("include_usage", true);
            } else {
                body.remove("stream_options");
            }
        }
        HttpRequest.Builder builder = translated.post(call, target(call, path), body, request.stream(), Set.of());
        authenticate(builder, call);
        HttpResponse<InputStream> response = translated.send(call, builder.build());
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().firstValue("x-request-id").ifPresent(id -> headers.put("x-upstream-request-id", id));

        if (!request.stream()) {
            // The caller gets the provider's bytes unchanged; they are parsed only to read the usage.
            long reading = System.nanoTime();
            byte[] bytes = UpstreamResponses.readAnswer(response, MAX_BODY, http.watchdog(), call);
            call.exchange().addUpstreamNanos(System.nanoTime() - reading);
            JsonNode usage;
            try {
                usage = UpstreamResponses.member(bytes, "usage");
            } catch (JacksonException e) {
                throw UpstreamException.protocol(call.endpoint().name() + " answered "
                        + response.statusCode() + " with a body that is not JSON");
            }
            call.exchange().put(Usage.ATTRIBUTE, usageOf(request.surface(), usage));
            return new Reply.Json(response.statusCode(), bytes, headers);
        }
        UsageFilter usage = new UsageFilter(call.exchange(), request);
        return new Reply.Stream(translated.firstEventRead(call, response, usage::keep), headers);
    }

    /**
     * Anthropic Messages callers (Claude Code, the Anthropic SDKs) in front of an OpenAI-compatible model: the
     * conversation is translated to {@code /chat/completions} and the answer or stream back to Anthropic's format.
     */
    private Reply sendTranslated(UpstreamCall call) throws UpstreamException {
        CanonicalRequest request = call.request();
        ObjectNode body = ChatCodec.writeRequest(Translation.conversation(request), call.upstreamModel(),
                request.stream());
        limitOutput(body, call);
        if (!acceptsStreamOptions(call)) {
            body.remove("stream_options");
        }
        HttpRequest.Builder builder = translated.post(call, target(call, "/chat/completions"), body,
                request.stream(), Set.of("anthropic-"));
        authenticate(builder, call);
        HttpResponse<InputStream> response = translated.send(call, builder.build());
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().firstValue("x-request-id").ifPresent(id -> headers.put("x-upstream-request-id", id));
        if (!request.stream()) {
            return Translation.answer(call, ChatCodec.parseAnswer(translated.readJson(call, response)), headers);
        }
        return Translation.stream(call, translated.events(call, response), ChatCodec::parseStream, headers,
                System.nanoTime());
    }

    /**
     * Mistral's API rejects {@code stream_options} (422 extra_forbidden) and sends usage on its last chunk anyway.
     * Option {@code stream-options: false} says the same of any other strict server.
     */
    private static boolean acceptsStreamOptions(UpstreamCall call) {
        String option = call.endpoint().option("stream-options");
        if (option != null) {
            return Boolean.parseBoolean(option.strip());
        }
        URI base = call.endpoint().baseUrl();
        return base == null || !"api.mistral.ai".equals(base.getHost());
    }

    /**
     * Anthropic callers always send {@code max_tokens}, often more than an OpenAI model allows (Claude Code asks for
     * 32000): option {@code max-output-tokens} caps it. OpenAI's own API wants {@code max_completion_tokens} (its
     * reasoning models reject {@code max_tokens}); compatible servers mostly want {@code max_tokens}. Option
     * {@code max-tokens-field} overrides the choice, which defaults by host.
     */
    private static void limitOutput(ObjectNode body, UpstreamCall call) {
        JsonNode requested = body.remove("max_tokens");
        if (requested == null || !requested.isIntegralNumber()) {
            return;
        }
        long tokens = requested.asLong();
        String cap = call.endpoint().option("max-output-tokens");
        if (cap != null && cap.strip().matches("\\d+")) {
            tokens = Math.min(tokens, Long.parseLong(cap.strip()));
        }
        String field = call.endpoint().option("max-tokens-field");
        if (field == null) {
            URI base = call.endpoint().baseUrl() != null ? call.endpoint().baseUrl() : DEFAULT_BASE_URL;
            String host = base.getHost() == null ? "" : base.getHost();
            field = host.equals("api.openai.com") || host.endsWith(".openai.azure.com") ? "max_completion_tokens"
                    : "max_tokens";
        }
        body.put(field, tokens);
    }

    static Usage usageOf(Surface surface, @Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        if (surface == Surface.RESPONSES) {
            return new Usage(usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0),
                    usage.path("input_tokens_details").path("cached_tokens").asLong(0),
                    usage.path("output_tokens_details").path("reasoning_tokens").asLong(0));
        }
        return new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    }

    /** Records usage on the exchange as events pass; drops a usage-only chunk the caller did not ask for. */
    private record UsageFilter(Exchange exchange, CanonicalRequest request) {
        boolean keep(SseEvent event) {
            String data = event.data();
            if (request.surface() == Surface.CHAT_COMPLETIONS) {
                if (!data.contains("\"usage\"")) {
                    return true;
                }
                JsonNode chunk = parse(data);
                if (chunk == null) {
                    return true;
                }
                JsonNode usage = chunk.get("usage");
                if (usage != null && usage.isObject()) {
                    exchange.put(Usage.ATTRIBUTE, usageOf(Surface.CHAT_COMPLETIONS, usage));
                    JsonNode choices = chunk.get("choices");
                    boolean usageOnly = choices == null || choices.isArray() && choices.isEmpty();
                    return request.clientWantsUsage() || !usageOnly;
                }
                return true;
            }
            if (request.surface() == Surface.RESPONSES && data.contains("\"usage\"")
                    && ("response.completed".equals(event.event()) || data.contains("\"response.completed\"")
                    || data.contains("\"response.incomplete\""))) {
                JsonNode parsed = parse(data);
                if (parsed != null) {
                    exchange.put(Usage.ATTRIBUTE, usageOf(Surface.RESPONSES, parsed.path("response").get("usage")));
                }
            }
            return true;
        }

        private static @Nullable JsonNode parse(String data) {
            try {
                return JSON.readTree(data);
            } catch (JacksonException e) {
                return null;
            }
        }
    }
}
