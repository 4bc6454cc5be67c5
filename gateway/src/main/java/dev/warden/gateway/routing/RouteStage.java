package dev.warden.gateway.routing;

import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.credentials.CredentialResolver;
import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Inbound;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Stage;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.providers.Capability;
import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.providers.ProviderEndpoint;
import dev.warden.gateway.providers.UpstreamCall;
import dev.warden.gateway.providers.UpstreamException;
import dev.warden.gateway.surface.CanonicalRequest;
import dev.warden.gateway.tracing.UpstreamAttempt;
import dev.warden.gateway.tracing.UpstreamTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Stage 7 (terminal): sends the request along the model's fallback chain. Within a target, credentials are chosen by
 * weight among the healthy ones; a 401/403 rests that credential and tries another; a 429 rests it for the provider's
 * Retry-After and tries another; a 5xx, timeout or connection error moves on to the next target. Streams fail over
 * only before their first event reaches the caller (the adapter reads that event before answering).
 *
 * <p>The upstream URL always comes from configuration: nothing in the request body or headers can choose it.
 */
public final class RouteStage implements Stage {
    /** Caller headers never forwarded: credentials, hop-by-hop, and anything that would pick an upstream account. */
    private static final Set<String> NOT_FORWARDED = Set.of("authorization", "x-api-key", "api-key", "host",
            "content-length", "content-type", "connection", "keep-alive", "transfer-encoding", "te", "trailer",
            "upgrade", "proxy-authorization", "proxy-connection", "cookie", "accept", "accept-encoding", "expect",
            "http2-settings", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
            "x-forwarded-port", "x-real-ip", "openai-organization", "openai-project", "origin", "referer",
            "anthropic-version", "x-goog-api-key", "ocp-apim-subscription-key",
            // The caller's trace context: no trace id leaves for a provider unless the provider opts in, and then it
            // is the attempt's own (see UpstreamAttempt), not the caller's.
            "traceparent", "tracestate", "baggage", "b3", "uber-trace-id");

    private final RouteTable table;
    private final Map<String, ProviderAdapter> adapters;
    private final KeyHealth health;
    private final CredentialResolver credentials;
    private final WardenProperties properties;

    public RouteStage(RouteTable table, Map<String, ProviderAdapter> adapters, KeyHealth health,
                      CredentialResolver credentials, WardenProperties properties) {
        this.table = table;
        this.adapters = Map.copyOf(adapters);
        this.health = health;
        this.credentials = credentials;
        this.properties = properties;
    }

    @Override
    public Reply handle(Exchange exchange, Chain chain) {
        CanonicalRequest request = exchange.get(CanonicalRequest.ATTRIBUTE);
        RouteTable.Route route = table.resolve(request.model()).orElseThrow(() -> new GatewayException(
                ErrorKind.MODEL_NOT_FOUND, "The model '" + request.model() + "' does not exist or is not served by "
                + "this gateway", "model"));
        VirtualKey key = exchange.find(VirtualKey.ATTRIBUTE);
        Capability needed = capabilityFor(request.surface());
        long deadline = exchange.startNanos() + properties.limits().requestTimeout().toNanos();
        Map<String, String> forward = forwardHeaders(exchange.inbound());
        String affinity = affinityKey(request, exchange.inbound());

        List<String> failures = new ArrayList<>();
        List<UpstreamException> errors = new ArrayList<>();
        boolean anyCapable = false;
        boolean anyAllowed = false;
        boolean anyResting = false;
        for (RouteTable.Target target : route.targets()) {
            ProviderEndpoint endpoint = target.endpoint();
            ProviderAdapter adapter = adapters.get(endpoint.type());
            if (adapter == null || !adapter.capabilities().contains(needed)
                    || request.stream() && !adapter.capabilities().contains(Capability.STREAMING)) {
                continue;
            }
            anyCapable = true;
            if (key != null && !key.allowsProvider(endpoint.name())) {
                continue;
            }
            anyAllowed = true;
            List<String> tried = new ArrayList<>();
            ProviderEndpoint.ProviderCredential credential;
            while ((credential = health.choose(endpoint, tried, affinity)) != null) {
                tried.add(credential.id());
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new GatewayException(ErrorKind.GATEWAY_TIMEOUT, "no provider answered model '"
                            + request.model() + "' within the request timeout of "
                            + properties.limits().requestTimeout().toSeconds() + "s");
                }
                Duration timeout = endpoint.timeout() == null ? Duration.ofNanos(remaining)
                        : min(endpoint.timeout(), Duration.ofNanos(remaining));
                String secret;
                try {
                    secret = credentials.reveal(credential.secretRef());
                } catch (CredentialResolver.CredentialUnavailableException e) {
                    failures.add(endpoint.name() + "/" + credential.id() + ": credential unavailable");
                    continue;
                }
                UpstreamAttempt attempt = UpstreamTelemetry.of(exchange).attempt(route.name(), endpoint,
                        credential.id(), target.modelFor(request.model()), failures.size() + 1);
                UpstreamCall call = new UpstreamCall(request, endpoint, target.modelFor(request.model()),
                        credential.id(), secret, attempt.forwardHeaders(forward), timeout,
                        properties.limits().streamIdleTimeout(), exchange);
                try {
                    Reply reply = attempt.send(adapter, call);
                    exchange.put(RouteResult.ATTRIBUTE, new RouteResult(endpoint.name(), call.upstreamModel(),
                            credential.id(), failures.size() + 1, failures));
                    return reply;
                } catch (UpstreamException e) {
                    failures.add(endpoint.name() + "/" + credential.id() + ": " + describe(e));
                    errors.add(e);
                    if (e.credentialRejected()) {
                        health.rest(endpoint, credential.id(), properties.routing().authFailureCooldown());
                        continue;
                    }
                    if (e.failure() == UpstreamException.Failure.STATUS && e.status() == 429) {
                        health.rest(endpoint, credential.id(), restFor(e.retryAfter()));
                        continue;
                    }
                    if (e.retryable()) {
                        break;
                    }
                    throw relay(e);
                }
            }
            if (tried.isEmpty()) {
                anyResting = true;
            }
        }
        if (!anyCapable) {
            throw new GatewayException(ErrorKind.INVALID_REQUEST, "The model '" + request.model() + "' cannot serve "
                    + describe(request) + (needed == Capability.COUNT_TOKENS ? ": none of its providers counts tokens "
                    + "(Anthropic, Bedrock, Gemini and Vertex AI do); clients such as Claude Code then estimate "
                    + "locally" : ""), "model");
        }
        if (!anyAllowed) {
            throw new GatewayException(ErrorKind.PERMISSION, "This key may not use any provider that serves model '"
                    + request.model() + "'", "model");
        }
        throw exhausted(request.model(), failures, errors, anyResting);
    }

    private Duration restFor(@Nullable Duration retryAfter) {
        Duration rest = retryAfter == null ? properties.routing().defaultRateLimitCooldown() : retryAfter;
        return min(rest, properties.routing().maxRetryAfter());
    }

    private GatewayException exhausted(String model, List<String> failures, List<UpstreamException> errors,
                                       boolean anyResting) {
        String detail = failures.isEmpty() ? "" : " (" + String.join("; ", failures) + ")";
        if (errors.isEmpty()) {
            return new GatewayException(ErrorKind.UNAVAILABLE, "No provider credential for model '" + model
                    + "' is available right now; all are resting after provider errors" + detail, null,
                    Map.of("retry-after", "1"));
        }
        boolean allRateLimited = errors.stream().allMatch(e -> e.status() == 429);
        if (allRateLimited) {
            long seconds = errors.stream().map(UpstreamException::retryAfter).filter(d -> d != null)
                    .mapToLong(d -> (d.toMillis() + 999) / 1000).min().orElse(1);
            return new GatewayException(ErrorKind.UPSTREAM_RATE_LIMITED, "Every provider for model '" + model
                    + "' is rate limiting" + detail, null, Map.of("retry-after", Long.toString(Math.max(1, seconds))));
        }
        UpstreamException last = errors.get(errors.size() - 1);
        ErrorKind kind = last.failure() == UpstreamException.Failure.TIMEOUT ? ErrorKind.GATEWAY_TIMEOUT
                : ErrorKind.BAD_GATEWAY;
        return new GatewayException(kind, "No provider could serve model '" + model + "'" + detail);
    }

    /** A provider's verdict on the request itself (bad parameter, context too long): the caller should see it. */
    private static GatewayException relay(UpstreamException e) {
        String message = e.providerMessage() != null ? e.providerMessage() : "The provider rejected the request";
        int status = e.status() >= 400 && e.status() < 500 ? e.status() : 502;
        ErrorKind kind = status == 404 ? ErrorKind.NOT_FOUND : ErrorKind.INVALID_REQUEST;
        return new GatewayException(kind, status, message);
    }

    private static String describe(UpstreamException e) {
        return switch (e.failure()) {
            case STATUS -> Integer.toString(e.status());
            case TIMEOUT -> "timeout";
            case CONNECT -> "connection failed";
            case PROTOCOL -> "invalid response";
        };
    }

    private static String describe(CanonicalRequest request) {
        return switch (request.surface()) {
            case EMBEDDINGS -> "embeddings";
            case RESPONSES -> request.stream() ? "streamed responses" : "responses";
            case ANTHROPIC_MESSAGES -> "Anthropic messages";
            case ANTHROPIC_COUNT_TOKENS -> "Anthropic token counting (count_tokens)";
            default -> request.stream() ? "streamed chat completions" : "chat completions";
        };
    }

    static Capability capabilityFor(Surface surface) {
        return switch (surface) {
            case CHAT_COMPLETIONS, MODELS -> Capability.CHAT_COMPLETIONS;
            case RESPONSES -> Capability.RESPONSES;
            case EMBEDDINGS -> Capability.EMBEDDINGS;
            case ANTHROPIC_MESSAGES -> Capability.ANTHROPIC_MESSAGES;
            case ANTHROPIC_COUNT_TOKENS -> Capability.COUNT_TOKENS;
        };
    }

    static Map<String, String> forwardHeaders(Inbound inbound) {
        Map<String, String> forward = new LinkedHashMap<>();
        inbound.headers().forEach((name, values) -> {
            if (!values.isEmpty() && !NOT_FORWARDED.contains(name) && !name.startsWith("x-warden-")
                    && !name.startsWith("sec-") && !name.startsWith(":") && !name.startsWith("x-b3-")) {
                forward.put(name, values.get(0));
            }
        });
        return forward;
    }

    /** The conversation a request belongs to, for credential affinity. */
    static @Nullable String affinityKey(CanonicalRequest request, Inbound inbound) {
        JsonNode cacheKey = request.body().get("prompt_cache_key");
        if (cacheKey != null && cacheKey.isString() && !cacheKey.asString().isEmpty()) {
            return cacheKey.asString();
        }
        for (String header : new String[] {"session_id", "x-session-id", "conversation_id"}) {
            String value = inbound.header(header);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
