package dev.warden.gateway.bench;

import dev.warden.gateway.auth.KeyMaterial;
import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.config.WardenConfiguration;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.governance.AuthorizeStage;
import dev.warden.gateway.governance.BudgetPeriod;
import dev.warden.gateway.governance.GovernStage;
import dev.warden.gateway.governance.MemoryCounters;
import dev.warden.gateway.governance.OrgRepository;
import dev.warden.gateway.governance.Policy;
import dev.warden.gateway.governance.PriceTable;
import dev.warden.gateway.governance.UsageRecorder;
import dev.warden.gateway.metrics.GatewayMetrics;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.Inbound;
import dev.warden.gateway.pipeline.Pipeline;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.providers.demo.DemoAdapter;
import dev.warden.gateway.routing.RouteResult;
import dev.warden.gateway.routing.RouteTable;
import dev.warden.gateway.surface.SurfaceStage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;

/**
 * Cost of the governance stages (authorise + govern: rate-limit admission, budget reservation on key and team,
 * settlement, usage record) per request on the embedded store, with a terminal stage that answers at once.
 *
 * <pre>
 * ./mvnw -q -pl gateway test-compile && java -cp "$(cat gateway/target/test-classpath.txt)" \
 *     dev.warden.gateway.bench.GovernanceBenchmark [requests]
 * </pre>
 * (the classpath file is written by {@code mvn -pl gateway dependency:build-classpath -Dmdep.outputFile=...});
 * or run it from an IDE. Prints p50/p99/p99.9 in microseconds.
 */
public final class GovernanceBenchmark {
    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        JdbcClient jdbc = JdbcClient.create(h2);
        MockEnvironment env = new MockEnvironment().withProperty("warden.demo", "true");
        WardenProperties properties = new WardenConfiguration().wardenProperties(env);
        Map<String, ProviderAdapter> adapters = Map.of("demo", new DemoAdapter());
        RouteTable routes = RouteTable.from(properties, adapters);
        OrgRepository orgs = new OrgRepository(jdbc);
        OrgRepository.Org team = orgs.insert("team", KeyMaterial.newId("team_"), "bench-team", null,
                List.of(new Policy.Budget(BudgetPeriod.MONTH, 1_000_000L * 1_000_000_000L)), Map.of(), Instant.now());
        MemoryCounters counters = new MemoryCounters(jdbc);
        UsageRecorder usage = new UsageRecorder(jdbc, properties.governance().timeZone());
        GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry());
        GovernStage govern = new GovernStage(counters, orgs, new PriceTable(properties), routes, usage, metrics,
                Clock.systemUTC(), properties);
        VirtualKey key = new VirtualKey("key_bench", "bench", "wk-…", null, team.id(), null, List.of("demo"),
                List.of(), Map.of(), null, null, List.of(new Policy.Budget(BudgetPeriod.DAY, 1_000_000L * 1_000_000_000L)),
                new Policy.RateLimit(0, 0, 0, 0), 1);
        Reply answer = new Reply.Json(200, "{}".getBytes(StandardCharsets.UTF_8), Map.of());
        Pipeline pipeline = new Pipeline(List.of(
                (exchange, chain) -> {
                    exchange.put(VirtualKey.ATTRIBUTE, key);
                    return chain.proceed(exchange);
                },
                new AuthorizeStage(orgs),
                govern,
                (exchange, chain) -> {
                    exchange.put(Usage.ATTRIBUTE, new Usage(120, 40, 0, 0));
                    exchange.put(RouteResult.ATTRIBUTE, new RouteResult("demo", "demo", "default", 1, List.of()));
                    return answer;
                }));
        byte[] body = "{\"model\":\"demo\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        var request = SurfaceStage.parse(Surface.CHAT_COMPLETIONS, body);
        long[] nanos = new long[requests];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < requests; i++) {
                Exchange exchange = new Exchange(new Inbound(Surface.CHAT_COMPLETIONS, "/v1/chat/completions",
                        Map.of(), body, "127.0.0.1", "req"), System.nanoTime());
                exchange.put(dev.warden.gateway.surface.CanonicalRequest.ATTRIBUTE, request);
                long start = System.nanoTime();
                pipeline.execute(exchange);
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        System.out.printf("governance stages (authorise + govern, key and team budgets, memory counters, H2):%n");
        System.out.printf("  requests %d  p50 %.1f us  p99 %.1f us  p99.9 %.1f us  max %.1f us%n", requests,
                nanos[requests / 2] / 1e3, nanos[(int) (requests * 0.99)] / 1e3, nanos[(int) (requests * 0.999)] / 1e3,
                nanos[requests - 1] / 1e3);
        counters.close();
        usage.close();
    }
}
