package dev.warden.gateway.providers.bedrock;

import dev.warden.gateway.http.UpstreamHttp;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Surface;
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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * AWS Bedrock through the Converse API: {@code POST /model/{modelId}/converse}, and {@code /converse-stream} whose
 * answer is the AWS binary event stream. Requests are signed with SigV4 (service {@code bedrock}); the credential is
 * {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]}, or a Bedrock API key sent as a bearer token when option
 * {@code auth=api-key}. Option {@code region} (default {@value #DEFAULT_REGION}) picks
 * {@code https://bedrock-runtime.{region}.amazonaws.com}; a configured base URL (a VPC interface endpoint) replaces
 * it. Every caller protocol is translated both ways. Hand-written on the JDK client rather than the AWS SDK so the
 * adapter shares the gateway's HTTP client, idle watchdog and failover handling.
 */
@Component
public class BedrockAdapter implements ProviderAdapter {
    public static final String DEFAULT_REGION = "us-east-1";
    private static final Set<String> FOREIGN_HEADERS = Set.of("openai-", "anthropic-", "x-stainless-");

    private final ProviderHttp http;

    public BedrockAdapter(UpstreamHttp http) {
        this.http = new ProviderHttp(http);
    }

    @Override
    public String type() {
        return "bedrock";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.CHAT_COMPLETIONS, Capability.RESPONSES, Capability.ANTHROPIC_MESSAGES,
                Capability.COUNT_TOKENS, Capability.STREAMING, Capability.TOOLS, Capability.VISION);
    }

    @Override
    public Reply send(UpstreamCall call) throws UpstreamException {
        CanonicalRequest request = call.request();
        if (request.surface() == Surface.ANTHROPIC_COUNT_TOKENS) {
            return countTokens(call);
        }
        if (!Translation.translatable(request.surface())) {
            throw UpstreamException.protocol("bedrock adapter cannot serve " + request.surface());
        }
        String region = region(call);
        URI uri = UpstreamResponses.resolve(base(call, region), "/model/" + SigV4.encode(call.upstreamModel())
                + (request.stream() ? "/converse-stream" : "/converse"));
        var body = BedrockCodec.writeRequest(Translation.conversation(request));
        byte[] payload = Json.MAPPER.writeValueAsBytes(body);
        HttpRequest.Builder builder = http.post(call, uri, payload, false, FOREIGN_HEADERS);
        builder.setHeader("accept", request.stream() ? "application/vnd.amazon.eventstream" : "application/json");
        sign(builder, call, uri, payload, region);
        HttpResponse<InputStream> response = http.send(call, builder.build());
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().firstValue("x-amzn-requestid").ifPresent(id -> headers.put("x-upstream-request-id", id));
        if (!request.stream()) {
            return Translation.answer(call, BedrockCodec.parseAnswer(http.readJson(call, response),
                    call.upstreamModel()), headers);
        }
        EventStreamFrames frames = new EventStreamFrames(response.body(), http.http().watchdog(), call.idleTimeout());
        return Translation.stream(call, frames, frames::expired,
                events -> BedrockCodec.parseStream(events, call.upstreamModel()), headers, System.nanoTime());
    }

    /**
     * Anthropic's count_tokens through Bedrock's CountTokens ({@code POST /model/{modelId}/count-tokens}). The
     * request goes as the {@code invokeModel} input, the Anthropic Messages body Bedrock's Claude models take (without
     * {@code model}, with {@code anthropic_version}), so that tools and system count as they would be billed; the
     * {@code converse} input would leave the tools out. {@code {"inputTokens": n}} comes back as Anthropic's
     * {@code {"input_tokens": n}}. A Bedrock model that is not a Claude model refuses it, and the caller sees that.
     */
    private Reply countTokens(UpstreamCall call) throws UpstreamException {
        ObjectNode invoke = call.request().body().deepCopy();
        invoke.remove("model");
        invoke.remove("stream");
        invoke.put("anthropic_version", "bedrock-2023-05-31");
        // The Messages body needs max_tokens, above any thinking budget; nothing is generated when counting.
        long budget = invoke.path("thinking").path("budget_tokens").asLong(0);
        invoke.put("max_tokens", Math.max(1, budget + 1));
        ObjectNode wrapped = Json.MAPPER.createObjectNode();
        wrapped.putObject("input").putObject("invokeModel").put("body",
                Base64.getEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(invoke)));
        String region = region(call);
        URI uri = UpstreamResponses.resolve(base(call, region), "/model/" + SigV4.encode(call.upstreamModel())
                + "/count-tokens");
        byte[] payload = Json.MAPPER.writeValueAsBytes(wrapped);
        HttpRequest.Builder builder = http.post(call, uri, payload, false, FOREIGN_HEADERS);
        builder.setHeader("accept", "application/json");
        sign(builder, call, uri, payload, region);
        HttpResponse<InputStream> response = http.send(call, builder.build());
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().firstValue("x-amzn-requestid").ifPresent(id -> headers.put("x-upstream-request-id", id));
        return UpstreamResponses.tokenCount(http.readJson(call, response), "inputTokens", "count-tokens", call,
                headers);
    }

    private static String region(UpstreamCall call) {
        return call.endpoint().option("region") != null ? call.endpoint().option("region") : DEFAULT_REGION;
    }

    private static URI base(UpstreamCall call, String region) {
        return call.endpoint().baseUrl() != null ? call.endpoint().baseUrl()
                : URI.create("https://bedrock-runtime." + region + ".amazonaws.com");
    }

    private static void sign(HttpRequest.Builder builder, UpstreamCall call, URI uri, byte[] payload, String region)
            throws UpstreamException {
        String credential = call.credential();
        if (credential == null) {
            return; // a VPC endpoint behind a signing proxy
        }
        if ("api-key".equalsIgnoreCase(call.endpoint().option("auth"))) {
            builder.setHeader("authorization", "Bearer " + credential);
            return;
        }
        SigV4.Credentials credentials;
        try {
            credentials = SigV4.Credentials.parse(credential);
        } catch (IllegalArgumentException e) {
            // A configuration mistake, not the provider's: rest this credential like a rejected one.
            throw new UpstreamException(UpstreamException.Failure.STATUS, 401, call.endpoint().name() + ": "
                    + e.getMessage(), null, null);
        }
        SigV4.sign("POST", uri, Map.of("content-type", "application/json"), payload, region, "bedrock", credentials, ZonedDateTime.now())
                .forEach(builder::setHeader);
    }
}
