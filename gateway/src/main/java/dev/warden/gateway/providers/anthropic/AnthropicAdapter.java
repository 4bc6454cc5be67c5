package dev.warden.gateway.providers.anthropic;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.providers.Capability;
import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.providers.ProviderHttp;
import dev.warden.gateway.providers.TappedEventStream;
import dev.warden.gateway.providers.UpstreamCall;
import dev.warden.gateway.providers.UpstreamException;
import dev.warden.gateway.providers.UpstreamResponses;
import dev.warden.gateway.providers.translate.AnthropicCodec;
import dev.warden.gateway.providers.translate.Delta;
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
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}). Anthropic Messages callers pass through unchanged (the
 * body keeps every field, {@code anthropic-beta} is forwarded); Chat Completions and Responses callers are
 * translated both ways, streams included. Authentication is {@code x-api-key}; the API version is option
 * {@code anthropic-version} (default {@value #DEFAULT_VERSION}); option {@code max-tokens} is the output cap asked
 * for when an OpenAI caller gives none. Anthropic's 529 "overloaded" is a 5xx, so it fails
 * over like any other.
 */
@Component
public class AnthropicAdapter implements ProviderAdapter {
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com/v1");
    public static final String DEFAULT_VERSION = "2023-06-01";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Caller headers of the OpenAI protocol mean nothing to Anthropic. */
    private static final Set<String> FOREIGN_HEADERS = Set.of("openai-", "x-stainless-");

    private final ProviderHttp http;

    public AnthropicAdapter(UpstreamHttp http) {
        this.http = new ProviderHttp(http);
    }

    @Override
    public String type() {
        return "anthropic";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.ANTHROPIC_MESSAGES, Capability.CHAT_COMPLETIONS, Capability.RESPONSES,
                Capability.COUNT_TOKENS, Capability.STREAMING, Capability.TOOLS, Capability.VISION,
                Capability.REASONING);
    }

    @Override
    public Reply send(UpstreamCall call) throws UpstreamException {
        CanonicalRequest request = call.request();
        boolean stream = request.stream();
        boolean counting = request.surface() == Surface.ANTHROPIC_COUNT_TOKENS;
        boolean passThrough = request.surface() == Surface.ANTHROPIC_MESSAGES || counting;
        if (!passThrough && !Translation.translatable(request.surface())) {
            throw UpstreamException.protocol("anthropic adapter cannot serve " + request.surface());
        }
        ObjectNode body;
        if (passThrough) {
            body = request.body();
            // Each attempt sets this afresh, so mutating the caller's tree is safe across fallbacks.
            body.put("model", call.upstreamModel());
        } else {
            body = AnthropicCodec.writeRequest(Translation.conversation(request), call.upstreamModel(), stream,
                    defaultMaxTokens(call));
        }
        URI base = call.endpoint().baseUrl() != null ? call.endpoint().baseUrl() : DEFAULT_BASE_URL;
        HttpRequest.Builder builder = http.post(call, UpstreamResponses.resolve(base,
                counting ? "/messages/count_tokens" : "/messages"), body, stream,
                passThrough ? Set.of() : FOREIGN_HEADERS);
        String version = call.endpoint().option("anthropic-version");
        if (!call.endpoint().headers().containsKey("anthropic-version")) {
            builder.setHeader("anthropic-version", version != null ? version : DEFAULT_VERSION);
        }
        if (call.credential() != null) {
            builder.setHeader("x-api-key", call.credential());
        }
        HttpResponse<InputStream> response = http.send(call, builder.build());
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().firstValue("request-id").ifPresent(id -> headers.put("x-upstream-request-id", id));

        if (!stream) {
            JsonNode answer = http.readJson(call, response);
            if (counting) {
                return new Reply.Json(200, JSON.writeValueAsBytes(answer), headers); // {"input_tokens": n}; free
            }
            if (passThrough) {
                call.exchange().put(Usage.ATTRIBUTE, AnthropicCodec.parseUsage(answer.get("usage")));
                return new Reply.Json(200, JSON.writeValueAsBytes(answer), headers);
            }
            return Translation.answer(call, AnthropicCodec.parseAnswer(answer), headers);
        }
        if (!passThrough) {
            return Translation.stream(call, http.events(call, response), AnthropicCodec::parseStream, headers,
                    System.nanoTime());
        }
        UsageTap usage = new UsageTap(call.exchange());
        TappedEventStream tapped = http.firstEventRead(call, response, event -> {
            usage.accept(event);
            return true;
        });
        return new Reply.Stream(tapped, headers);
    }

    /**
     * Anthropic requires {@code max_tokens}; OpenAI callers often send none (Codex never does). Option
     * {@code max-tokens} sets what to ask for then (default {@value AnthropicCodec#DEFAULT_MAX_TOKENS}, which every
     * Claude model accepts; coding agents on current models want more).
     */
    private static long defaultMaxTokens(UpstreamCall call) {
        String option = call.endpoint().option("max-tokens");
        return option != null && option.strip().matches("\\d+") ? Long.parseLong(option.strip())
                : AnthropicCodec.DEFAULT_MAX_TOKENS;
    }

    /** Records usage from message_start (input, cache) and message_delta (output) as they pass. */
    private static final class UsageTap implements Consumer<SseEvent> {
        private final Exchange exchange;
        private Usage usage = Usage.NONE;

        UsageTap(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void accept(SseEvent event) {
            String type = event.event();
            if (!"message_start".equals(type) && !"message_delta".equals(type)) {
                return;
            }
            try {
                JsonNode data = JSON.readTree(event.data());
                JsonNode reported = "message_start".equals(type) ? data.path("message").get("usage")
                        : data.get("usage");
                usage = new Delta.UsageReport(AnthropicCodec.parseUsage(reported)).mergedInto(usage);
                exchange.put(Usage.ATTRIBUTE, usage);
            } catch (JacksonException ignored) {
                // a malformed event is the caller's to see; usage stays as it was
            }
        }
    }
}
