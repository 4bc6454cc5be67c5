package dev.warden.gateway.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.auth.KeyMaterial;
import dev.warden.gateway.pipeline.Pipeline;
import dev.warden.gateway.testing.FakeUpstream;
import dev.warden.gateway.testing.GatewayTestSupport;
import dev.warden.gateway.tracing.OtlpReceiver.Received;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Traces as an OpenTelemetry collector receives them over OTLP/HTTP when an endpoint is configured: one trace per
 * request continuing the caller's {@code traceparent}, a span per pipeline stage nested as the chain nests, a client
 * span per upstream attempt, streams ended after their last event, and nothing secret in any attribute.
 */
class TracingTest extends GatewayTestSupport {
    static final OtlpReceiver COLLECTOR = OtlpReceiver.start();
    static final String PROMPT = "the secret plan is in drawer 7";
    static final Duration WAIT = Duration.ofSeconds(15);

    @Autowired
    Pipeline pipeline;

    @DynamicPropertySource
    static void tracing(DynamicPropertyRegistry registry) {
        registry.add("management.opentelemetry.tracing.export.otlp.endpoint", COLLECTOR::endpoint);
        registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "100ms");
        // A provider that opted in to trace context, beside GatewayTestSupport's three that did not.
        registry.add("warden.providers[3].name", () -> "traced");
        registry.add("warden.providers[3].type", () -> "openai-compatible");
        registry.add("warden.providers[3].base-url", () -> SECONDARY.baseUrl().toString());
        registry.add("warden.providers[3].options.propagate-trace", () -> "true");
        registry.add("warden.models[4].name", () -> "gpt-traced");
        registry.add("warden.models[4].targets[0].provider", () -> "traced");
    }

    @AfterAll
    static void stop() {
        COLLECTOR.close();
    }

    @Test
    void aChatCompletionIsOneTraceWithASpanPerStageAndOneForTheUpstreamCall() {
        Caller caller = Caller.random();
        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", PROMPT, false),
                caller.headers(key));
        assertThat(response.statusCode()).isEqualTo(200);

        List<Received> trace = COLLECTOR.trace(caller.traceId, spans -> has(spans, "warden chat.completions")
                && has(spans, "upstream primary") && spans.stream().anyMatch(s -> s.kind() == SpanKind.SPAN_KIND_SERVER),
                WAIT);

        // On the LLM paths Spring's servlet observation is off: Warden's request span is the server span.
        Received request = one(trace, "warden chat.completions");
        assertThat(trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER).toList())
                .singleElement().isEqualTo(request);
        assertThat(request.parentSpanId()).as("the server span continues the caller's span").isEqualTo(caller.spanId);
        assertThat(request.scope()).isEqualTo("dev.warden.gateway");
        assertThat(request.string("warden.surface")).isEqualTo("chat.completions");
        assertThat(request.string("warden.key_id")).isEqualTo(keyId());
        assertThat(request.string("warden.provider")).isEqualTo("primary");
        assertThat(request.number("http.response.status_code")).isEqualTo(200);
        assertThat(request.number("gen_ai.usage.input_tokens")).isEqualTo(11);
        assertThat(request.number("gen_ai.usage.output_tokens")).isEqualTo(7);

        List<Received> stages = stagesUnder(request, trace);
        assertThat(stages).extracting(Received::name).containsExactlyElementsOf(stageNames());
        for (Received stage : stages) {
            assertThat(stage.string("warden.stage")).isEqualTo(stage.name());
        }
        Received route = stages.get(stages.size() - 1);
        Received upstream = one(trace, "upstream primary");
        assertThat(upstream.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        assertThat(upstream.parentSpanId()).as("the upstream call is a child of the router's span")
                .isEqualTo(route.spanId());
        assertThat(upstream.string("warden.provider")).isEqualTo("primary");
        assertThat(upstream.string("warden.provider.key_id")).isIn("a", "b");
        assertThat(upstream.string("warden.route")).isEqualTo("gpt-test");
        assertThat(upstream.string("warden.upstream.model")).isEqualTo("up-model");
        assertThat(upstream.number("warden.attempt")).isEqualTo(1);
        assertThat(upstream.number("http.response.status_code")).isEqualTo(200);
        assertThat(upstream.string("server.address")).isEqualTo("127.0.0.1");
        assertWithinParents(trace);
        assertNothingSecret(trace);
        assertThat(PRIMARY.received()).singleElement().satisfies(received -> assertThat(received.headers())
                .as("the caller's trace context is not sent to a provider that did not opt in")
                .doesNotContainKeys("traceparent", "tracestate"));
        assertThat(COLLECTOR.contentTypes()).allMatch(type -> type.startsWith("application/x-protobuf"));
    }

    @Test
    void onTheApiListenerTheRequestSpanIsTheServerSpanAndContinuesTheCallersTrace() {
        Caller caller = Caller.random();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + apiListener.port() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(chat("gpt-test", PROMPT,
                        false)));
        caller.headers(key).forEach(request::header);
        HttpResponse<String> response = send(request.build());
        assertThat(response.statusCode()).isEqualTo(200);

        List<Received> trace = COLLECTOR.trace(caller.traceId, spans -> has(spans, "warden chat.completions")
                && has(spans, "upstream primary"), WAIT);

        Received server = one(trace, "warden chat.completions");
        assertThat(trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER).toList())
                .singleElement().isEqualTo(server);
        assertThat(server.parentSpanId()).isEqualTo(caller.spanId);
        assertThat(stagesUnder(server, trace)).extracting(Received::name).containsExactlyElementsOf(stageNames());
        assertThat(one(trace, "upstream primary").number("http.response.status_code")).isEqualTo(200);
        assertWithinParents(trace);
        assertNothingSecret(trace);
    }

    @Test
    void aFallbackShowsEachAttemptWithWhyTheRouterMovedOn() {
        PRIMARY.respond(FakeUpstream.error(503, "overloaded"));
        Caller caller = Caller.random();
        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", PROMPT, false),
                caller.headers(key));
        assertThat(response.statusCode()).isEqualTo(200);

        List<Received> trace = COLLECTOR.trace(caller.traceId, spans -> has(spans, "warden chat.completions")
                && has(spans, "upstream primary") && has(spans, "upstream secondary"), WAIT);

        Received failed = one(trace, "upstream primary");
        assertThat(failed.number("warden.attempt")).isEqualTo(1);
        assertThat(failed.number("http.response.status_code")).isEqualTo(503);
        assertThat(failed.string("warden.fallback.reason")).isEqualTo("upstream_status");
        assertThat(failed.string("error.type")).isEqualTo("503");
        assertThat(failed.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        Received served = one(trace, "upstream secondary");
        assertThat(served.number("warden.attempt")).isEqualTo(2);
        assertThat(served.number("http.response.status_code")).isEqualTo(200);
        assertThat(served.attributes()).doesNotContainKey("warden.fallback.reason");
        assertThat(served.parentSpanId()).isEqualTo(failed.parentSpanId());
        assertThat(served.startNanos()).isGreaterThanOrEqualTo(failed.endNanos());
        Received request = one(trace, "warden chat.completions");
        assertThat(request.number("warden.attempts")).isEqualTo(2);
        assertThat(request.attributes().get("warden.fell_back").getBoolValue()).isTrue();
        assertNothingSecret(trace);
    }

    @Test
    void aStreamedRequestSpanEndsAfterTheLastEvent() {
        Duration gap = Duration.ofMillis(120);
        PRIMARY.respond(FakeUpstream.slowChatStream("one two three four", gap));
        Caller caller = Caller.random();
        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", PROMPT, true),
                caller.headers(key));
        assertThat(response.statusCode()).isEqualTo(200);
        long events = response.body().lines().filter(line -> line.startsWith("data: ")).count();
        assertThat(response.body()).contains("data: [DONE]");

        List<Received> trace = COLLECTOR.trace(caller.traceId, spans -> has(spans, "warden chat.completions")
                && has(spans, "upstream primary") && has(spans, "AuditStage"), WAIT);

        Received request = one(trace, "warden chat.completions");
        assertThat(request.number("warden.stream.events")).as("the span ended after every event had passed")
                .isEqualTo(events);
        assertThat(request.attributes().get("warden.stream.complete").getBoolValue()).isTrue();
        // The provider spaces its events `gap` apart; a span ended when the handler first returned (after the
        // first event) would be one gap long.
        assertThat(Duration.ofNanos(request.endNanos() - request.startNanos()))
                .isGreaterThanOrEqualTo(gap.multipliedBy(events - 1));
        Received upstream = one(trace, "upstream primary");
        assertThat(upstream.number("warden.stream.events")).isPositive();
        assertThat(upstream.endNanos() - upstream.startNanos()).isGreaterThanOrEqualTo(
                gap.multipliedBy(events - 1).toNanos());
        List<Received> stages = stagesUnder(request, trace);
        assertThat(stages).extracting(Received::name).containsExactlyElementsOf(stageNames());
        assertWithinParents(trace);
        assertNothingSecret(trace);
    }

    @Test
    void traceContextReachesAProviderOnlyWhenTheProviderOptsIn() {
        Caller caller = Caller.random();
        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-traced", PROMPT, false),
                caller.headers(key));
        assertThat(response.statusCode()).isEqualTo(200);

        List<Received> trace = COLLECTOR.trace(caller.traceId, spans -> has(spans, "upstream traced"), WAIT);
        Received upstream = one(trace, "upstream traced");
        String sent = SECONDARY.received().get(0).headers().get("traceparent");
        assertThat(sent).as("the attempt's own span, in the caller's trace")
                .isEqualTo("00-" + caller.traceId + "-" + upstream.spanId() + "-01");
        assertThat(upstream.attributes().get("warden.trace_propagated").getBoolValue()).isTrue();
    }

    @Test
    void aRejectedRequestIsTracedAsAnErrorOnTheStageThatRefusedIt() {
        Caller caller = Caller.random();
        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-test", PROMPT, false),
                Map.of("authorization", "Bearer wk-not-a-key", "traceparent", caller.traceparent()));
        assertThat(response.statusCode()).isEqualTo(401);

        List<Received> trace = COLLECTOR.trace(caller.traceId, spans -> has(spans, "warden chat.completions")
                && has(spans, "AuthenticateStage"), WAIT);
        Received refused = one(trace, "AuthenticateStage");
        assertThat(refused.string("error.type")).isEqualTo("invalid_api_key");
        assertThat(refused.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        Received audit = one(trace, "AuditStage");
        assertThat(audit.attributes()).as("only the stage the error came from is marked")
                .doesNotContainKey("error.type");
        Received request = one(trace, "warden chat.completions");
        assertThat(request.number("http.response.status_code")).isEqualTo(401);
        assertThat(trace).noneMatch(s -> s.name().equals("RouteStage") || s.name().startsWith("upstream "));
        assertNothingSecret(trace);
        assertThat(trace).allSatisfy(span -> assertThat(span.allValues()).doesNotContain("wk-not-a-key"));
    }

    // ---- helpers ----

    private record Caller(String traceId, String spanId) {
        static Caller random() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            byte[] trace = new byte[16];
            byte[] span = new byte[8];
            random.nextBytes(trace);
            random.nextBytes(span);
            return new Caller(HexFormat.of().formatHex(trace), HexFormat.of().formatHex(span));
        }

        String traceparent() {
            return "00-" + traceId + "-" + spanId + "-01";
        }

        Map<String, String> headers(String key) {
            return Map.of("authorization", "Bearer " + key, "traceparent", traceparent());
        }
    }

    private List<String> stageNames() {
        return pipeline.stages().stream().map(Pipeline::name).toList();
    }

    private String keyId() {
        return keys.findByHash(KeyMaterial.hash(key)).orElseThrow().id();
    }

    private static boolean has(List<Received> spans, String name) {
        return spans.stream().anyMatch(s -> s.name().equals(name));
    }

    private static Received one(List<Received> trace, String name) {
        List<Received> named = trace.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(named).as("spans named " + name).hasSize(1);
        return named.get(0);
    }

    /** The chain of stage spans under the request span, each the only stage child of the one before. */
    private static List<Received> stagesUnder(Received request, List<Received> trace) {
        List<Received> chain = new ArrayList<>();
        String parent = request.spanId();
        while (true) {
            String id = parent;
            List<Received> children = trace.stream()
                    .filter(s -> s.parentSpanId().equals(id) && s.attributes().containsKey("warden.stage")).toList();
            if (children.isEmpty()) {
                return chain;
            }
            assertThat(children).as("stage spans under " + id).hasSize(1);
            chain.add(children.get(0));
            parent = children.get(0).spanId();
        }
    }

    /** Every span starts and ends within its parent, so a child never outlives the part of the request it is in. */
    private static void assertWithinParents(List<Received> trace) {
        for (Received span : trace) {
            trace.stream().filter(p -> p.spanId().equals(span.parentSpanId())).findFirst().ifPresent(parent -> {
                assertThat(span.startNanos()).as(span.name() + " starts within " + parent.name())
                        .isGreaterThanOrEqualTo(parent.startNanos());
                assertThat(span.endNanos()).as(span.name() + " ends within " + parent.name())
                        .isLessThanOrEqualTo(parent.endNanos());
            });
        }
    }

    private void assertNothingSecret(List<Received> trace) {
        assertThat(trace).allSatisfy(span -> assertThat(span.allValues()).as(span.name())
                .doesNotContain(PROMPT).doesNotContain("drawer").doesNotContain(key)
                .doesNotContain(PRIMARY_SECRET_A).doesNotContain(PRIMARY_SECRET_B));
    }
}
