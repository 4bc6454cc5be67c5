package dev.warden.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import dev.warden.sso.testapp.SsoTestApplication;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Every admin endpoint of the test app × every role × an object of the caller's own team ({@code payments}) and of
 * another team ({@code search}), through the whole chain with real bearer tokens. The expected table is written out
 * by hand, independently of {@link dev.warden.sso.rbac.PermissionMatrix}: if the matrix changes, this table must be
 * changed on purpose. "Own" and "other" only differ for team-scoped callers; a difference there is what BOLA would be.
 */
class AdminEndpointMatrixTest extends SsoIntegrationTest {

    /** Callers: column name → the groups their token carries (null: the break-glass admin token). */
    private static final Map<String, List<String>> CALLERS = new LinkedHashMap<>();

    static {
        CALLERS.put("admin", List.of("warden-admins"));
        CALLERS.put("keymgr", List.of("warden-key-managers"));
        CALLERS.put("auditor", List.of("warden-auditors"));
        CALLERS.put("viewer", List.of("warden-viewers"));
        CALLERS.put("keymgr@pay", List.of("payments-key-managers"));
        CALLERS.put("viewer@pay", List.of("payments-viewers"));
        CALLERS.put("token", null);
    }

    private static final String EXPECTED = """
            # endpoint                     admin keymgr auditor viewer keymgr@pay viewer@pay token
            GET key own                    Y     Y      Y       Y      Y          Y          Y
            GET key other                  Y     Y      Y       Y      N          N          Y
            POST key own                   Y     Y      N       N      Y          N          Y
            POST key other                 Y     Y      N       N      N          N          Y
            POST key no-team               Y     Y      N       N      N          N          Y
            DELETE key own                 Y     Y      N       N      Y          N          Y
            DELETE key other               Y     Y      N       N      N          N          Y
            GET team own                   Y     Y      Y       Y      Y          Y          Y
            GET team other                 Y     Y      Y       Y      N          N          Y
            PUT team-budget own            Y     N      N       N      N          N          Y
            PUT team-budget other          Y     N      N       N      N          N          Y
            GET usage own                  Y     Y      Y       Y      Y          Y          Y
            GET usage other                Y     Y      Y       Y      N          N          Y
            GET audit                      Y     N      Y       N      N          N          Y
            GET soc2-report                Y     N      Y       N      N          N          Y
            PUT config                     Y     N      N       N      N          N          Y
            POST erasure                   Y     N      N       N      N          N          Y
            PUT roles-of-another           Y     N      N       N      N          N          Y
            """;

    private static final String KEY_BODY = """
            {"name":"ci","team":%s,"models":["gpt-4o-mini"],"budget":{"limit_usd":50,"period":"month"}}""";

    private static final Map<String, Supplier<MockHttpServletRequestBuilder>> REQUESTS = new LinkedHashMap<>();

    static {
        REQUESTS.put("GET key own", () -> get("/admin/api/keys/k-pay"));
        REQUESTS.put("GET key other", () -> get("/admin/api/keys/k-search"));
        REQUESTS.put("POST key own", () -> json(post("/admin/api/keys"), KEY_BODY.formatted("\"payments\"")));
        REQUESTS.put("POST key other", () -> json(post("/admin/api/keys"), KEY_BODY.formatted("\"search\"")));
        REQUESTS.put("POST key no-team", () -> json(post("/admin/api/keys"), KEY_BODY.formatted("null")));
        REQUESTS.put("DELETE key own", () -> delete("/admin/api/keys/k-pay"));
        REQUESTS.put("DELETE key other", () -> delete("/admin/api/keys/k-search"));
        REQUESTS.put("GET team own", () -> get("/admin/api/teams/payments"));
        REQUESTS.put("GET team other", () -> get("/admin/api/teams/search"));
        REQUESTS.put("PUT team-budget own", () -> json(put("/admin/api/teams/payments/budget"), "{\"limit_usd\":1000,\"period\":\"month\"}"));
        REQUESTS.put("PUT team-budget other", () -> json(put("/admin/api/teams/search/budget"), "{\"limit_usd\":1000,\"period\":\"month\"}"));
        REQUESTS.put("GET usage own", () -> get("/admin/api/usage?team=payments"));
        REQUESTS.put("GET usage other", () -> get("/admin/api/usage?team=search"));
        REQUESTS.put("GET audit", () -> get("/admin/api/audit"));
        REQUESTS.put("GET soc2-report", () -> get("/admin/api/reports/soc2"));
        REQUESTS.put("PUT config", () -> json(put("/admin/api/config"), "{\"guardrails\":\"off\"}"));
        REQUESTS.put("POST erasure", () -> json(post("/admin/api/erasure"), "{\"subject\":\"customer-42\"}"));
        REQUESTS.put("PUT roles-of-another", () -> json(put("/admin/api/roles/someone-else"), "[{\"role\":\"viewer\",\"team\":null}]"));
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointEveryRoleOwnAndOtherTeam() {
        List<String> lines = EXPECTED.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(lines).as("the table covers every endpoint").hasSize(REQUESTS.size());
        List<String> columns = new ArrayList<>(CALLERS.keySet());
        Map<String, String> tokens = new LinkedHashMap<>();
        CALLERS.forEach((caller, groups) -> tokens.put(caller,
                groups == null ? SsoTestApplication.ADMIN_TOKEN : automationToken("user-" + caller, groups)));
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            List<String> marks = Arrays.stream(words).skip(words.length - columns.size()).toList();
            String endpoint = line.substring(0, line.indexOf("  ")).trim();
            Supplier<MockHttpServletRequestBuilder> request = REQUESTS.get(endpoint);
            assertThat(request).as("request for '%s'", endpoint).isNotNull();
            assertThat(marks).as("marks for '%s'", endpoint).hasSize(columns.size()).allMatch(m -> m.equals("Y") || m.equals("N"));
            for (int i = 0; i < columns.size(); i++) {
                String caller = columns.get(i);
                boolean allowed = marks.get(i).equals("Y");
                tests.add(DynamicTest.dynamicTest(endpoint + " as " + caller + " → " + (allowed ? "allow" : "deny"), () -> {
                    int status = mvc.perform(request.get().header("Authorization", "Bearer " + tokens.get(caller)))
                            .andReturn().getResponse().getStatus();
                    if (allowed) {
                        assertThat(status).as("%s as %s", endpoint, caller).isBetween(200, 299);
                    } else {
                        assertThat(status).as("%s as %s", endpoint, caller).isEqualTo(403);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void listsAreFilteredToTheTeamsTheCallerMayRead() throws Exception {
        assertThat(keysSeenBy(List.of("payments-key-managers"))).isEqualTo("[\"k-pay\"]");
        assertThat(keysSeenBy(List.of("payments-viewers"))).isEqualTo("[\"k-pay\"]");
        assertThat(keysSeenBy(List.of("warden-viewers"))).isEqualTo("[\"k-pay\",\"k-search\"]");
        assertThat(keysSeenBy(List.of("payments-viewers", "warden-auditors"))).isEqualTo("[\"k-pay\",\"k-search\"]");
    }

    private String keysSeenBy(List<String> groups) throws Exception {
        return mvc.perform(get("/admin/api/keys").header("Authorization", "Bearer " + automationToken("lister", groups)))
                .andReturn().getResponse().getContentAsString();
    }

    private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder builder, String body) {
        return builder.contentType(MediaType.APPLICATION_JSON).content(body);
    }
}
