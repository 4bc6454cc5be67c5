package dev.warden.gateway.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.providers.ProviderEndpoint;
import dev.warden.gateway.providers.UpstreamException;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamAttemptTest {
    private final SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).build();
    private final Tracer tracer = provider.get("test");
    private final Map<String, String> forward = Map.of("x-custom", "kept");

    @AfterEach
    void close() {
        provider.close();
    }

    private static ProviderEndpoint endpoint(Map<String, String> options) {
        return new ProviderEndpoint("p", "openai", URI.create("https://api.example.com/v1"), Map.of(),
                List.of(new ProviderEndpoint.ProviderCredential("k", "env://KEY", 1)), null, options);
    }

    @Test
    void namesWhyTheRouterMovesOnOrNullWhenItRelaysTheAnswer() {
        assertThat(UpstreamAttempt.fallbackReason(status(401))).isEqualTo("credential_rejected");
        assertThat(UpstreamAttempt.fallbackReason(status(403))).isEqualTo("credential_rejected");
        assertThat(UpstreamAttempt.fallbackReason(new UpstreamException(UpstreamException.Failure.STATUS, 429,
                "slow down", Duration.ofSeconds(3), null))).isEqualTo("rate_limited");
        assertThat(UpstreamAttempt.fallbackReason(status(503))).isEqualTo("upstream_status");
        assertThat(UpstreamAttempt.fallbackReason(UpstreamException.timeout("slow"))).isEqualTo("timeout");
        assertThat(UpstreamAttempt.fallbackReason(UpstreamException.connect("refused"))).isEqualTo("connect");
        assertThat(UpstreamAttempt.fallbackReason(UpstreamException.protocol("garbage"))).isEqualTo("protocol");
        assertThat(UpstreamAttempt.fallbackReason(status(400))).as("a verdict on the request goes to the caller")
                .isNull();
    }

    @Test
    void sendsNoTraceContextToAProviderThatDidNotOptIn() {
        UpstreamAttempt attempt = new UpstreamAttempt(tracer, null, "route", endpoint(Map.of()), "k", "m", 1);

        assertThat(attempt.forwardHeaders(forward)).isEqualTo(forward);
    }

    @Test
    void sendsTheAttemptsOwnTraceparentToAProviderThatOptedIn() {
        UpstreamAttempt attempt = new UpstreamAttempt(tracer, null, "route",
                endpoint(Map.of(UpstreamAttempt.PROPAGATE_OPTION, "true")), "k", "m", 1);

        Map<String, String> headers = attempt.forwardHeaders(forward);

        assertThat(headers).containsEntry("x-custom", "kept").containsKey("traceparent")
                .doesNotContainKey("baggage");
        assertThat(headers.get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void sendsNothingWhenTheRequestIsNotTraced() {
        UpstreamAttempt attempt = new UpstreamAttempt(null, null, "route",
                endpoint(Map.of(UpstreamAttempt.PROPAGATE_OPTION, "true")), "k", "m", 1);

        assertThat(attempt.forwardHeaders(forward)).isEqualTo(forward);
    }

    private static UpstreamException status(int status) {
        return new UpstreamException(UpstreamException.Failure.STATUS, status, "status " + status, null, null);
    }
}
