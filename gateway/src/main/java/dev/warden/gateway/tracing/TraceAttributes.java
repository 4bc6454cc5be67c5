package dev.warden.gateway.tracing;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attributes Warden puts on spans. OpenTelemetry semantic-convention names where one fits (HTTP, errors, GenAI
 * usage), {@code warden.*} otherwise. Every value is an id, a configured name, a number or a small enum: never prompt
 * or answer text, never a key, a secret or a provider's error message (which may quote the prompt).
 */
final class TraceAttributes {
    // The request
    static final AttributeKey<String> REQUEST_ID = stringKey("warden.request_id");
    static final AttributeKey<String> SURFACE = stringKey("warden.surface");
    static final AttributeKey<String> KEY_ID = stringKey("warden.key_id");
    static final AttributeKey<String> TEAM_ID = stringKey("warden.team_id");
    static final AttributeKey<String> CUSTOMER_ID = stringKey("warden.customer_id");
    static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
    static final AttributeKey<Boolean> STREAM = booleanKey("warden.stream");
    static final AttributeKey<Long> ATTEMPTS = longKey("warden.attempts");
    static final AttributeKey<Boolean> FELL_BACK = booleanKey("warden.fell_back");
    static final AttributeKey<Long> INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> CACHED_TOKENS = longKey("warden.usage.cached_input_tokens");
    static final AttributeKey<Long> REASONING_TOKENS = longKey("warden.usage.reasoning_tokens");
    static final AttributeKey<Double> COST_USD = doubleKey("warden.cost_usd");
    static final AttributeKey<Boolean> COST_ESTIMATED = booleanKey("warden.cost_estimated");
    static final AttributeKey<Long> STREAM_EVENTS = longKey("warden.stream.events");
    static final AttributeKey<Boolean> STREAM_COMPLETE = booleanKey("warden.stream.complete");
    static final AttributeKey<Long> STATUS = longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

    // A stage
    static final AttributeKey<String> STAGE = stringKey("warden.stage");

    // An upstream attempt
    static final AttributeKey<String> PROVIDER = stringKey("warden.provider");
    static final AttributeKey<String> PROVIDER_TYPE = stringKey("warden.provider.type");
    static final AttributeKey<String> PROVIDER_KEY_ID = stringKey("warden.provider.key_id");
    static final AttributeKey<String> ROUTE = stringKey("warden.route");
    static final AttributeKey<String> UPSTREAM_MODEL = stringKey("warden.upstream.model");
    static final AttributeKey<Long> ATTEMPT = longKey("warden.attempt");
    static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
    static final AttributeKey<String> FALLBACK_REASON = stringKey("warden.fallback.reason");
    static final AttributeKey<Boolean> RELAYED = booleanKey("warden.upstream.relayed");
    static final AttributeKey<Boolean> TRACE_PROPAGATED = booleanKey("warden.trace_propagated");

    private TraceAttributes() {
    }
}
