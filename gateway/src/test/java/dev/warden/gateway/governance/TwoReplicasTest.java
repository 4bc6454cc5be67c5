package dev.warden.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.WardenApplication;
import dev.warden.gateway.testing.TestPostgres;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Two gateway replicas on one PostgreSQL: a key's budget holds across both (store counters). */
class TwoReplicasTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN = "two-replicas-admin-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aBudgetHoldsAcrossTwoReplicasSharingPostgres() throws Exception {
        String url = TestPostgres.newDatabase();
        try (ConfigurableApplicationContext a = start(url); ConfigurableApplicationContext b = start(url)) {
            int portA = port(a);
            int portB = port(b);
            String body = "{\"model\":\"demo\",\"max_tokens\":12,\"messages\":[{\"role\":\"user\",\"content\":"
                    + "\"a fixed prompt for the replica test\"}]}";

            JsonNode probe = JSON.readTree(call(portA, "POST", "/admin/api/keys", "{\"name\":\"probe\",\"budget\":{\"limit_usd\":1000}}", ADMIN).body());
            call(portB, "POST", "/v1/chat/completions", body, probe.get("key").asString());
            BigDecimal cost = JSON.readTree(call(portA, "GET", "/admin/api/keys/" + probe.get("id").asString(), null,
                    ADMIN).body()).get("spent_usd").decimalValue();
            assertThat(cost).isPositive();

            BigDecimal limit = cost.multiply(BigDecimal.valueOf(25));
            JsonNode key = JSON.readTree(call(portA, "POST", "/admin/api/keys", "{\"name\":\"shared\",\"budget\":"
                    + "{\"limit_usd\":" + limit.toPlainString() + ",\"period\":\"month\"}}", ADMIN).body());
            String secret = key.get("key").asString();
            List<Future<Integer>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(40)) {
                for (int i = 0; i < 200; i++) {
                    int port = i % 2 == 0 ? portA : portB;
                    results.add(pool.submit(() -> call(port, "POST", "/v1/chat/completions", body, secret).statusCode()));
                }
            }
            int ok = 0;
            for (Future<Integer> result : results) {
                assertThat(result.get()).isIn(200, 402);
                ok += result.get() == 200 ? 1 : 0;
            }
            BigDecimal spentA = JSON.readTree(call(portA, "GET", "/admin/api/keys/" + key.get("id").asString(), null,
                    ADMIN).body()).get("spent_usd").decimalValue();
            BigDecimal spentB = JSON.readTree(call(portB, "GET", "/admin/api/keys/" + key.get("id").asString(), null,
                    ADMIN).body()).get("spent_usd").decimalValue();
            assertThat(spentA).as("both replicas read the same counters").isEqualByComparingTo(spentB);
            assertThat(spentA).isLessThanOrEqualTo(limit.add(cost));
            assertThat(ok).isBetween(10, 26);
        }
    }

    private static ConfigurableApplicationContext start(String url) throws Exception {
        return new SpringApplicationBuilder(WardenApplication.class).run(
                "--server.port=0",
                "--warden.demo=true",
                "--warden.data-dir=" + Files.createTempDirectory("warden-replica"),
                "--warden.store.url=" + url,
                "--warden.store.username=postgres",
                "--warden.admin.token=" + ADMIN,
                "--spring.jmx.enabled=false");
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static HttpResponse<String> call(int port, String method, String path, String body, String bearer)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
