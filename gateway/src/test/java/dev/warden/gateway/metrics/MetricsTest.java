package dev.warden.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.auth.KeyMaterial;
import dev.warden.gateway.governance.BudgetPeriod;
import dev.warden.gateway.governance.OrgRepository;
import dev.warden.gateway.governance.Policy;
import dev.warden.gateway.testing.FakeUpstream;
import dev.warden.gateway.testing.GatewayTestSupport;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The metric contract that deploy/README.md and the Grafana dashboard rely on. */
class MetricsTest extends GatewayTestSupport {
    @Autowired
    BudgetGauges budgets;
    @Autowired
    OrgRepository orgs;

    @Test
    void prometheusExposesTheGatewayMetrics() {
        post("/v1/chat/completions", chat("demo", "metrics please", false));
        post("/v1/chat/completions", chat("no-such-model", "x", false));

        String metrics = scrape();

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

    @Test
    void eachLedgerFsyncIsTimedWithTheEntriesItMadeDurable() throws InterruptedException {
        String before = scrape();
        double syncs = value(before, "warden_ledger_sync_seconds_count").orElse(0.0);
        double entries = value(before, "warden_ledger_sync_entries_sum").orElse(0.0);

        post("/v1/chat/completions", chat("demo", "one request, two entries", false));
        // The response entry is appended lazily: it is durable with the next fsync, at most lazy-sync-delay later.
        long deadline = System.nanoTime() + 5_000_000_000L;
        String after = scrape();
        while (value(after, "warden_ledger_sync_entries_sum").orElse(0.0) < entries + 2
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
            after = scrape();
        }

        assertThat(value(after, "warden_ledger_sync_seconds_count")).hasValueSatisfying(
                count -> assertThat(count).isGreaterThan(syncs));
        assertThat(value(after, "warden_ledger_sync_entries_sum")).hasValueSatisfying(
                sum -> assertThat(sum).isGreaterThanOrEqualTo(entries + 2));
        assertThat(value(after, "warden_ledger_sync_seconds_sum")).hasValueSatisfying(
                seconds -> assertThat(seconds).isPositive());
        assertThat(after).contains("warden_ledger_sync_seconds_bucket{");
    }

    @Test
    void theApiListenerReportsItsOpenConnections() throws Exception {
        try (java.net.Socket open = new java.net.Socket("127.0.0.1", apiListener.port())) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (apiListener.connections() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // accepted on the listener's own thread
            }

            String metrics = scrape();

            assertThat(value(metrics, "warden_listener_connections")).hasValueSatisfying(
                    count -> assertThat(count).isGreaterThanOrEqualTo(1.0));
            assertThat(value(metrics, "warden_listener_refused_total")).isPresent();
        }
    }

    @Test
    void errorsAreCountedByKindStatusClassAndPhase() {
        double before = value(scrape(), "warden_errors_total", "kind", "model_not_found", "status_class", "4xx",
                "phase", "request", "surface", "chat.completions").orElse(0.0);
        post("/v1/chat/completions", chat("no-such-model", "x", false));
        post("/v1/chat/completions", chat("demo", "x", false), Map.of("authorization", "Bearer wk-wrong"));
        PRIMARY.respond(FakeUpstream.brokenChatStream("broken answer", 2));
        post("/v1/chat/completions", chat("solo", "x", true));

        String metrics = scrape();

        assertThat(value(metrics, "warden_errors_total", "kind", "model_not_found", "status_class", "4xx",
                "phase", "request", "surface", "chat.completions")).hasValue(before + 1);
        assertThat(value(metrics, "warden_errors_total", "kind", "authentication", "status_class", "4xx",
                "phase", "request", "surface", "chat.completions")).isPresent();
        assertThat(value(metrics, "warden_errors_total", "kind", "bad_gateway", "status_class", "5xx",
                "phase", "stream", "surface", "chat.completions"))
                .as("a stream that broke after the answer started").isPresent();
    }

    @Test
    void errorsBeforeThePipelineAreCountedToo() {
        double before = value(scrape(), "warden_errors_total", "kind", "payload_too_large", "status_class", "4xx",
                "phase", "request", "surface", "embeddings").orElse(0.0);
        String tooLarge = "{\"model\":\"demo\",\"input\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        assertThat(post("/v1/embeddings", tooLarge).statusCode()).isEqualTo(413);

        assertThat(value(scrape(), "warden_errors_total", "kind", "payload_too_large", "status_class", "4xx",
                "phase", "request", "surface", "embeddings")).hasValue(before + 1);
    }

    @Test
    void upstreamLatencyAndTimeToFirstTokenPerProviderAndModelRoute() {
        PRIMARY.respond(FakeUpstream.error(503, "overloaded"));
        post("/v1/chat/completions", chat("gpt-test", "fall back please", false));
        PRIMARY.reset();
        post("/v1/chat/completions", chat("gpt-test", "stream please", true));

        String metrics = scrape();

        assertThat(value(metrics, "warden_upstream_latency_seconds_count", "provider", "primary", "model", "gpt-test",
                "outcome", "failed")).hasValueSatisfying(count -> assertThat(count).isGreaterThanOrEqualTo(1));
        assertThat(value(metrics, "warden_upstream_latency_seconds_count", "provider", "secondary",
                "model", "gpt-test", "outcome", "answered")).hasValueSatisfying(count ->
                assertThat(count).isGreaterThanOrEqualTo(1));
        assertThat(metrics).contains("warden_upstream_latency_seconds_bucket{");
        assertThat(value(metrics, "warden_upstream_time_to_first_token_seconds_count", "provider", "primary",
                "model", "gpt-test")).hasValueSatisfying(count -> assertThat(count).isGreaterThanOrEqualTo(1));
        assertThat(metrics).contains("warden_upstream_time_to_first_token_seconds_bucket{");
    }

    @Test
    void keyHealthPerConfiguredProviderCredential() {
        assertThat(value(scrape(), "warden_provider_key_healthy", "provider", "primary", "key", "a")).hasValue(1.0);
        double restsBefore = value(scrape(), "warden_provider_key_rests_total", "provider", "primary", "key", "a")
                .orElseThrow();

        PRIMARY.respond(FakeUpstream.error(401, "bad key"));
        post("/v1/chat/completions", chat("gpt-test", "x", false));
        String metrics = scrape();

        assertThat(value(metrics, "warden_provider_key_healthy", "provider", "primary", "key", "a")).hasValue(0.0);
        assertThat(value(metrics, "warden_provider_key_healthy", "provider", "primary", "key", "b")).hasValue(0.0);
        assertThat(value(metrics, "warden_provider_key_healthy", "provider", "secondary", "key", "default"))
                .hasValue(1.0);
        assertThat(value(metrics, "warden_provider_key_rests_total", "provider", "primary", "key", "a"))
                .hasValue(restsBefore + 1);
        assertThat(metrics).doesNotContain(PRIMARY_SECRET_A).doesNotContain(PRIMARY_SECRET_B);
    }

    @Test
    void budgetRemainingPerScopeAndPeriodIsTheLimitMinusTheSpend() throws InterruptedException {
        OrgRepository.Org team = orgs.insert("team", KeyMaterial.newId("team_"), "metrics-team-" + System.nanoTime(),
                null, List.of(new Policy.Budget(BudgetPeriod.MONTH, 20 * 1_000_000_000L)), Map.of(), Instant.now());
        String value = KeyMaterial.newKey();
        String keyId = keys.insert(KeyMaterial.newId("key_"), "budgeted", KeyMaterial.hash(value),
                KeyMaterial.hint(value), null, team.id(), List.of(), List.of(), Map.of(), null,
                List.of(new Policy.Budget(BudgetPeriod.DAY, 5 * 1_000_000_000L)), Policy.RateLimit.NONE,
                Instant.now()).id();
        authenticator.invalidate();

        assertThat(post("/v1/chat/completions", chat("demo", "spend a little", false),
                Map.of("authorization", "Bearer " + value)).statusCode()).isEqualTo(200);
        String metrics = awaitSpendVisible(keyId);

        double cost = value(metrics, "warden_cost_usd_total", "key", keyId).orElseThrow();
        assertThat(cost).isPositive();
        assertThat(value(metrics, "warden_budget_remaining_usd", "scope", "key", "id", keyId, "period", "day"))
                .hasValueSatisfying(left -> assertThat(left).isCloseTo(5 - cost, org.assertj.core.data.Offset
                        .offset(1e-6)));
        assertThat(value(metrics, "warden_budget_limit_usd", "scope", "key", "id", keyId, "period", "day"))
                .hasValue(5.0);
        assertThat(value(metrics, "warden_budget_remaining_usd", "scope", "team", "id", team.id(), "period", "month"))
                .hasValueSatisfying(left -> assertThat(left).isCloseTo(20 - cost, org.assertj.core.data.Offset
                        .offset(1e-6)));
        assertThat(value(metrics, "warden_budget_remaining_usd", "scope", "key", "id", keyId, "period", "month"))
                .as("only budgets that are configured have a series").isEmpty();
    }

    /** Spend reaches the store within a second (memory counters flush every second); the gauges read it there. */
    private String awaitSpendVisible(String keyId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            budgets.refresh();
            String metrics = scrape();
            Optional<Double> left = value(metrics, "warden_budget_remaining_usd", "scope", "key", "id", keyId,
                    "period", "day");
            if (left.isPresent() && left.get() < 5 || System.nanoTime() > deadline) {
                return metrics;
            }
            Thread.sleep(100);
        }
    }

    private String scrape() {
        return send(HttpRequest.newBuilder(url("/actuator/prometheus")).GET().build()).body();
    }

    /** The value of the one sample of {@code name} whose labels include every given {@code label, value} pair. */
    static Optional<Double> value(String metrics, String name, String... labels) {
        List<String> matches = metrics.lines()
                .filter(line -> line.startsWith(name + "{"))
                .filter(line -> {
                    String labelSet = line.substring(name.length(), line.lastIndexOf('}') + 1);
                    for (int i = 0; i + 1 < labels.length; i += 2) {
                        if (!labelSet.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                            return false;
                        }
                    }
                    return true;
                })
                .toList();
        assertThat(matches).as(name + " with " + Arrays.toString(labels)).hasSizeLessThanOrEqualTo(1);
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        String line = matches.get(0);
        String sample = line.substring(line.lastIndexOf('}') + 1).strip().split(" ")[0];
        return Optional.of(Double.parseDouble(sample));
    }
}
