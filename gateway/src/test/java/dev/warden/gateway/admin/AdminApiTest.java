package dev.warden.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.testing.GatewayTestSupport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AdminApiTest extends GatewayTestSupport {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theDesignContractHolds() {
        HttpResponse<String> created = admin("POST", "/admin/api/keys", "{\"name\":\"contract-" + System.nanoTime()
                + "\",\"models\":[\"demo\"],\"budget\":{\"limit_usd\":12.5,\"period\":\"week\"},"
                + "\"rate_limit\":{\"rpm\":60}}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String id = body.get("id").asString();
        String secret = body.get("key").asString();
        assertThat(secret).startsWith("wk-").hasSize(46);

        HttpResponse<String> fetched = admin("GET", "/admin/api/keys/" + id, null);
        assertThat(fetched.statusCode()).isEqualTo(200);
        JsonNode view = JSON.readTree(fetched.body());
        assertThat(view.has("key")).as("the key is shown once").isFalse();
        assertThat(fetched.body()).doesNotContain(secret);
        assertThat(view.get("spent_usd").decimalValue()).isZero();
        assertThat(view.get("budgets").get(0).get("limit_usd").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(view.get("models").get(0).asString()).isEqualTo("demo");

        assertThat(post("/v1/chat/completions", chat("demo", "x", false),
                java.util.Map.of("authorization", "Bearer " + secret)).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(admin("GET", "/admin/api/keys/" + id, null).body()).get("spent_usd").decimalValue())
                .isPositive();

        HttpResponse<String> revoked = admin("DELETE", "/admin/api/keys/" + id, null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).get("revoked_at").isString()).isTrue();
        assertThat(post("/v1/chat/completions", chat("demo", "x", false),
                java.util.Map.of("authorization", "Bearer " + secret)).statusCode()).isEqualTo(401);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"models":["demo"]}                                         | name
            {"name":""}                                                 | name
            {"name":"n","budget":{"limit_usd":-5}}                      | budget.limit_usd
            {"name":"n","budget":{"limit_usd":1e15}}                    | budget.limit_usd
            {"name":"n","budget":{"limit_usd":"ten"}}                   | budget.limit_usd
            {"name":"n","budget":{"limit_usd":1,"period":"fortnight"}}  | budget.period
            {"name":"n","budgets":[{"limit_usd":1,"period":"day"},{"limit_usd":2,"period":"day"}]} | budgets
            {"name":"n","models":["gpt-nonexistent"]}                   | models[0]
            {"name":"n","models":"demo"}                                | models
            {"name":"n","providers":["nowhere"]}                        | providers[0]
            {"name":"n","rate_limit":{"rpm":-1}}                        | rate_limit
            {"name":"n","rate_limit":{"rps":5}}                         | rate_limit
            {"name":"n","team":"no-such-team"}                          | team
            {"name":"n","expires_at":"yesterday"}                       | expires_at
            {"name":"n","expires_at":"2001-01-01T00:00:00Z"}            | expires_at
            {"name":"n","metadata":{"a":1}}                             | metadata.a
            {"name":"n","colour":"blue"}                                | colour
            """)
    void badInputIsA400NamingTheField(String body, String field) {
        HttpResponse<String> response = admin("POST", "/admin/api/keys", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").get("param").asString()).isEqualTo(field);
    }

    @Test
    void duplicateNamesMalformedAndUnknownIds() {
        String name = "dup-" + System.nanoTime();
        assertThat(admin("POST", "/admin/api/keys", "{\"name\":\"" + name + "\"}").statusCode()).isEqualTo(201);
        assertThat(admin("POST", "/admin/api/keys", "{\"name\":\"" + name + "\"}").statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/admin/api/teams", "{\"name\":\"" + name + "\"}").statusCode()).isEqualTo(201);
        assertThat(admin("POST", "/admin/api/teams", "{\"name\":\"" + name + "\"}").statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/api/keys/../../etc", null).statusCode()).isIn(400, 404);
        assertThat(admin("GET", "/admin/api/keys/key_x", null).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/api/keys/key_000000000000000000000000", null).statusCode()).isEqualTo(404);
        assertThat(admin("POST", "/admin/api/keys", "{not json").statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/admin/api/keys", "[]").statusCode()).isEqualTo(400);
        HttpResponse<String> forgedLine = admin("POST", "/admin/api/keys",
                "{\"name\":\"ci\\n2026-12-06 INFO admin token used\",\"models\":[\"demo\"]}");
        assertThat(forgedLine.statusCode()).isEqualTo(400);
        assertThat(forgedLine.body()).contains("control character");
        assertThat(admin("POST", "/admin/api/keys", "{\"name\":\"nul\\u0000\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> hugeRate = admin("POST", "/admin/api/keys",
                "{\"name\":\"r\",\"rate_limit\":{\"rpm\":100000000000000000000000000000}}");
        assertThat(hugeRate.statusCode()).as(hugeRate.body()).isEqualTo(400);
        HttpResponse<String> hugeBudget = admin("POST", "/admin/api/keys",
                "{\"name\":\"b\",\"budget\":{\"limit_usd\":\"1e999999999\",\"period\":\"day\"}}");
        assertThat(hugeBudget.statusCode()).isEqualTo(400);
        assertThat(hugeBudget.body()).as("the amount as written, not a billion zeros").hasSizeLessThan(400);
    }

    @Test
    void theAdminApiNeedsTheAdminToken() {
        HttpResponse<String> none = send(HttpRequest.newBuilder(url("/admin/api/keys")).GET().build());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(none.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(none.body()).contains("\"type\":\"authentication_error\"").contains("Authorization: Bearer");
        HttpResponse<String> virtualKey = send(HttpRequest.newBuilder(url("/admin/api/keys"))
                .header("authorization", "Bearer " + key).GET().build());
        assertThat(virtualKey.statusCode()).as("a virtual key is not an admin credential").isEqualTo(401);
        assertThat(virtualKey.body()).as("says why, in the admin API's error shape")
                .contains("\"code\":\"unauthorized\"").contains("neither a JWT nor the admin token")
                .doesNotContain(key);
    }

    @Test
    void aSubjectIsErasedWithATombstoneAndSecretsCanBeRefreshed() {
        HttpResponse<String> erased = admin("POST", "/admin/api/erasures",
                "{\"subject\":\"customer-4711@example.com\",\"reason\":\"GDPR request 12\"}");
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(201);
        assertThat(erased.body()).contains("\"object\":\"erasure\"").doesNotContain("customer-4711@example.com");
        assertThat(admin("POST", "/admin/api/erasures", "{\"subject\":42}").statusCode()).isEqualTo(400);

        HttpResponse<String> refreshed = admin("POST", "/admin/api/secrets/refresh", null);
        assertThat(refreshed.statusCode()).isEqualTo(200);
        assertThat(refreshed.body()).doesNotContain(PRIMARY_SECRET_A);
    }

    @Test
    void usageIsReportedByModel() {
        post("/v1/chat/completions", chat("demo", "usage", false));
        HttpResponse<String> usage = admin("GET", "/admin/api/usage?group_by=model", null);
        assertThat(usage.statusCode()).isEqualTo(200);
        assertThat(usage.body()).contains("\"model\":\"demo\"");
        assertThat(admin("GET", "/admin/api/usage?group_by=colour", null).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/api/usage?from=last-week", null).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/api/usage?from=2020-01-01&to=2026-01-01", null).statusCode())
                .as("a range longer than 400 days").isEqualTo(400);
    }

    @Test
    void usageSeriesIsPerDayAndGroup() throws Exception {
        post("/v1/chat/completions", chat("demo", "series", false));
        HttpResponse<String> series = admin("GET", "/admin/api/usage/series?group_by=model", null);
        assertThat(series.statusCode()).as(series.body()).isEqualTo(200);
        tools.jackson.databind.JsonNode root = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(series.body());
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        assertThat(root.path("data").valueStream()
                .filter(row -> row.path("day").asString().equals(today) && row.path("model").asString().equals("demo"))
                .toList()).singleElement().satisfies(row -> {
                    assertThat(row.path("requests").asLong()).isPositive();
                    assertThat(row.path("cost_usd").asString()).matches("\\d+\\.\\d+");
                });
        assertThat(admin("GET", "/admin/api/usage/series?group_by=day", null).statusCode()).isEqualTo(400);
    }

    @Test
    void meNamesThePrincipalAndWhatItMayDo() {
        HttpResponse<String> me = admin("GET", "/admin/api/me", null);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"subject\":\"admin-token\"").contains("\"method\":\"admin_token\"")
                .contains("\"keys:write\"").contains("\"audit:read\"").contains("\"roles\":[\"admin\"]");
        assertThat(send(java.net.http.HttpRequest.newBuilder(url("/admin/api/me")).GET().build()).statusCode())
                .isEqualTo(401);
    }
}
