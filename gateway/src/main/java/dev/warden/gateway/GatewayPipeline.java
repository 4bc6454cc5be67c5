package dev.warden.gateway;

import dev.warden.gateway.audit.AuditStage;
import dev.warden.gateway.audit.BodyCapture;
import dev.warden.gateway.tracing.PipelineTelemetry;
import dev.warden.gateway.audit.LedgerRecorder;
import dev.warden.gateway.audit.RecordRequestStage;
import dev.warden.gateway.auth.AuthenticateStage;
import dev.warden.gateway.auth.Authenticator;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.credentials.CredentialResolver;
import dev.warden.gateway.governance.AuthorizeStage;
import dev.warden.gateway.guard.GuardInputStage;
import dev.warden.gateway.guard.GuardOutputStage;
import dev.warden.gateway.guard.GuardVerdicts;
import dev.warden.gateway.guard.GuardrailPolicies;
import dev.warden.gateway.governance.Counters;
import dev.warden.gateway.governance.GovernStage;
import dev.warden.gateway.governance.MemoryCounters;
import dev.warden.gateway.governance.OrgRepository;
import dev.warden.gateway.governance.PriceTable;
import dev.warden.gateway.governance.StoreCounters;
import dev.warden.gateway.governance.UsageRecorder;
import dev.warden.gateway.metrics.GatewayMetrics;
import dev.warden.gateway.pipeline.Pipeline;
import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.routing.KeyHealth;
import dev.warden.gateway.routing.RouteStage;
import dev.warden.gateway.routing.RouteTable;
import dev.warden.gateway.surface.SurfaceStage;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The request pipeline, in order, in one place (DESIGN.md §1). Read the list top to bottom to know what happens
 * to a request.
 */
@Configuration(proxyBeanMethods = false)
public class GatewayPipeline {

    @Bean
    Pipeline pipeline(Authenticator authenticator, AuthorizeStage authorize, GovernStage govern, RouteStage route,
                      LedgerRecorder ledger, BodyCapture bodies, GuardrailPolicies guardrails,
                      GuardVerdicts verdicts, PipelineTelemetry telemetry) {
        return new Pipeline(List.of(
                // Audit wraps everything, so rejected requests are recorded too; response entries (9) on return.
                new AuditStage(ledger, bodies),
                new SurfaceStage(),                    // 1 parse the caller's protocol; 400 in its own error shape
                new AuthenticateStage(authenticator),  // 2 virtual key -> principal; 401
                authorize,                             // 3 model allowed for this key; 403
                govern,                                // 4 rate limits, budget reservation; settles (10) on return
                new GuardInputStage(guardrails, verdicts),  // 5 guardrails on the prompt: redact or block
                new RecordRequestStage(ledger, bodies), // 6 request entry durable before anything leaves; 503 if not
                // Output guardrails sit inside the request entry and wrap the router's answer, chunk by chunk.
                new GuardOutputStage(guardrails, verdicts), // 8
                route))                                // 7 fallback chain to providers; terminal
                // Spans and metrics around each stage; observing never changes the order above.
                .observedBy(telemetry);
    }

    @Bean
    GuardrailPolicies guardrailPolicies(WardenProperties properties, CredentialResolver credentials) {
        return new GuardrailPolicies(properties, credentials);
    }

    @Bean
    GuardVerdicts guardVerdicts(LedgerRecorder ledger, io.micrometer.core.instrument.MeterRegistry meters) {
        return new GuardVerdicts(ledger, meters);
    }

    @Bean
    AuthorizeStage authorizeStage(OrgRepository orgs) {
        return new AuthorizeStage(orgs);
    }

    @Bean
    GovernStage governStage(Counters counters, OrgRepository orgs, PriceTable prices, RouteTable routes,
                            UsageRecorder usage, GatewayMetrics metrics, Clock clock, WardenProperties properties) {
        return new GovernStage(counters, orgs, prices, routes, usage, metrics, clock, properties);
    }

    @Bean(destroyMethod = "close")
    UsageRecorder usageRecorder(JdbcClient jdbc, WardenProperties properties) {
        return new UsageRecorder(jdbc, properties.governance().timeZone());
    }

    /** Spend and rate counters: in memory for one replica, in the store when replicas share PostgreSQL. */
    @Bean
    Counters counters(JdbcClient jdbc, TransactionTemplate transactions, WardenProperties properties) {
        String mode = properties.governance().counters();
        String url = properties.store().url();
        boolean shared = url != null && url.startsWith("jdbc:postgresql:");
        if ("store".equals(mode) || "auto".equals(mode) && shared) {
            return new StoreCounters(jdbc, transactions);
        }
        return new MemoryCounters(jdbc);
    }

    @Bean
    RouteStage routeStage(RouteTable table, Map<String, ProviderAdapter> adaptersByType, KeyHealth health,
                          CredentialResolver credentials, WardenProperties properties) {
        return new RouteStage(table, adaptersByType, health, credentials, properties);
    }

    @Bean
    Map<String, ProviderAdapter> adaptersByType(List<ProviderAdapter> adapters) {
        Map<String, ProviderAdapter> byType = new LinkedHashMap<>();
        for (ProviderAdapter adapter : adapters) {
            ProviderAdapter previous = byType.put(adapter.type(), adapter);
            if (previous != null) {
                throw new IllegalStateException("two provider adapters claim type '" + adapter.type() + "': "
                        + previous.getClass().getName() + " and " + adapter.getClass().getName());
            }
        }
        return byType;
    }

    @Bean
    RouteTable routeTable(WardenProperties properties, Map<String, ProviderAdapter> adaptersByType) {
        return RouteTable.from(properties, adaptersByType);
    }

    @Bean
    KeyHealth keyHealth() {
        return new KeyHealth();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
