package dev.warden.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.testing.GatewayTestSupport;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** The metric contract that deploy/README.md and the Grafana dashboard rely on. */
class MetricsTest extends GatewayTestSupport {

    @Test
    void prometheusExposesTheGatewayMetrics() {
        post("/v1/chat/completions", chat("demo", "metrics please", false));
        post("/v1/chat/completions", chat("no-such-model", "x", false));

        String metrics = send(HttpRequest.newBuilder(url("/actuator/prometheus")).GET().build()).body();

        assertThat(metrics)
                .contains("warden_requests_total{")
                .contains("status=\"404\"")
                .contains("warden_gateway_overhead_seconds_bucket")
                .contains("warden_tokens_total{")
                .contains("warden_cost_usd_total{")
                .contains("warden_ledger_append_seconds")
                .contains("warden_ledger_checkpoint_age_seconds")
                .contains("warden_guardrail_verdicts_total")
                .doesNotContain(key)
                .doesNotContain("metrics please");
    }
}
