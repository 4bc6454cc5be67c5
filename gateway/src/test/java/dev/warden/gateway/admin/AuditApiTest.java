package dev.warden.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.testing.GatewayTestSupport;
import dev.warden.ledger.Ledger;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The console's view of the audit trail: ledger status, on-demand verification, search and entry detail. */
class AuditApiTest extends GatewayTestSupport {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    Ledger ledger;

    @Test
    void verificationOnDemandReportsAnIntactLedgerWithItsHead() {
        post("/v1/chat/completions", chat("demo", "verify me", false));

        HttpResponse<String> verified = admin("POST", "/admin/api/ledger/verify", "");
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(verified.body());
        assertThat(body.path("healthy").asBoolean()).isTrue();
        assertThat(body.path("verification").path("status").asString()).isEqualTo("ok");
        assertThat(body.path("verification").path("message").asString()).startsWith("OK ");
        assertThat(body.path("verification").path("entries").asLong()).isPositive();
        assertThat(body.path("verification").path("mode").asString()).isEqualTo("full");
        assertThat(body.path("verification").path("full_because").asString()).isEqualTo("asked for");
        assertThat(body.path("verification").path("entries_read").asLong())
                .isEqualTo(body.path("verification").path("entries").asLong());
        assertThat(body.path("last_checkpoint").path("size").asLong()).isPositive();
        assertThat(body.path("last_checkpoint").path("signature").asString()).isNotBlank();

        HttpResponse<String> status = admin("GET", "/admin/api/ledger/status", null);
        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode now = JSON.readTree(status.body());
        assertThat(now.path("verification").path("checked_at").asString())
                .isEqualTo(body.path("verification").path("checked_at").asString());
        assertThat(now.path("entries").asLong()).isGreaterThanOrEqualTo(body.path("verification").path("entries")
                .asLong());
        assertThat(now.path("head").asString()).matches("[0-9a-f]{64}");
    }

    @Test
    void anIncrementalVerificationGoesOnFromTheLastIntactOne() {
        post("/v1/chat/completions", chat("demo", "before", false));
        assertThat(admin("POST", "/admin/api/ledger/verify?mode=full", "").statusCode()).isEqualTo(200);
        post("/v1/chat/completions", chat("demo", "after", false));

        HttpResponse<String> verified = admin("POST", "/admin/api/ledger/verify?mode=incremental", "");

        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        JsonNode v = JSON.readTree(verified.body()).path("verification");
        assertThat(v.path("status").asString()).isEqualTo("ok");
        assertThat(v.path("mode").asString()).isEqualTo("incremental");
        assertThat(v.has("full_because")).isFalse();
        assertThat(v.path("entries_read").asLong()).isPositive().isLessThanOrEqualTo(v.path("entries").asLong());
        assertThat(v.path("notes").toString()).contains("incremental: entries 0-");
    }

    @Test
    void anUnknownVerificationModeIsRefusedWithTheChoices() {
        HttpResponse<String> refused = admin("POST", "/admin/api/ledger/verify?mode=quick", "");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("mode: \\\"quick\\\" (expected: full or incremental)");
    }

    @Test
    void searchFindsARequestsEntriesByKeyKindAndRequestIdNewestFirst() {
        HttpResponse<String> created = admin("POST", "/admin/api/keys", "{\"name\":\"audit-search-" + System.nanoTime()
                + "\"}");
        JsonNode key = JSON.readTree(created.body());
        String keyId = key.path("id").asString();
        HttpResponse<String> call = post("/v1/chat/completions", chat("demo", "find me", false),
                java.util.Map.of("authorization", "Bearer " + key.path("key").asString()));
        assertThat(call.statusCode()).isEqualTo(200);
        String requestId = call.headers().firstValue("x-request-id").orElseThrow();

        JsonNode byKey = JSON.readTree(admin("GET", "/admin/api/audit/entries?key=" + keyId, null).body());
        assertThat(byKey.path("data").valueStream().map(e -> e.path("kind").asString()).toList())
                .startsWith("response", "request");
        assertThat(byKey.path("data").get(0).path("request_id").asString()).isEqualTo(requestId);
        assertThat(byKey.path("data").get(0).path("model").asString()).isEqualTo("demo");
        assertThat(byKey.path("data").get(0).path("key").asString()).isEqualTo(keyId);

        JsonNode requests = JSON.readTree(admin("GET", "/admin/api/audit/entries?kind=request&request_id=" + requestId,
                null).body());
        assertThat(requests.path("data").valueStream().map(e -> e.path("kind").asString()).toList())
                .containsExactly("request");

        JsonNode firstPage = JSON.readTree(admin("GET", "/admin/api/audit/entries?limit=2", null).body());
        assertThat(firstPage.path("data").size()).isEqualTo(2);
        long cursor = firstPage.path("next_before").asLong();
        JsonNode secondPage = JSON.readTree(admin("GET", "/admin/api/audit/entries?limit=2&before=" + cursor, null)
                .body());
        assertThat(secondPage.path("data").get(0).path("seq").asLong())
                .isLessThan(firstPage.path("data").get(1).path("seq").asLong());
    }

    @Test
    void anEntryComesWithItsCheckpointAndAVerifiedInclusionProof() {
        HttpResponse<String> call = post("/v1/chat/completions", chat("demo", "prove me", false));
        String requestId = call.headers().firstValue("x-request-id").orElseThrow();
        JsonNode found = JSON.readTree(admin("GET", "/admin/api/audit/entries?kind=request&request_id=" + requestId,
                null).body());
        long seq = found.path("data").get(0).path("seq").asLong();
        ledger.checkpoint();

        HttpResponse<String> detail = admin("GET", "/admin/api/audit/entries/" + seq, null);
        assertThat(detail.statusCode()).as(detail.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(detail.body());
        assertThat(body.path("entry").path("request_id").asString()).isEqualTo(requestId);
        assertThat(body.path("entry").path("seq").asLong()).isEqualTo(seq);
        assertThat(body.path("hash").asString()).matches("[0-9a-f]{64}");
        assertThat(body.path("checkpoint").path("size").asLong()).isGreaterThan(seq);
        assertThat(body.path("inclusion").path("verified").asBoolean()).isTrue();
        assertThat(body.path("inclusion").path("index").asLong()).isEqualTo(seq);
    }

    @Test
    void badSearchParametersAreA400AndAnUnknownEntryA404() {
        assertThat(admin("GET", "/admin/api/audit/entries?kind=requests", null).body()).contains("expected: one of");
        assertThat(admin("GET", "/admin/api/audit/entries?kind=requests", null).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/api/audit/entries?limit=501", null).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/api/audit/entries?from=yesterday", null).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/api/audit/entries?before=-1", null).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/api/audit/entries?from=2026-11-25&to=2026-11-24", null).statusCode())
                .isEqualTo(400);
        assertThat(admin("GET", "/admin/api/audit/entries/99999999", null).statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/admin/api/audit/entries/abc", null).statusCode()).isEqualTo(400);
    }

    @Test
    void theAuditTrailNeedsAnAdminCredential() {
        assertThat(send(java.net.http.HttpRequest.newBuilder(url("/admin/api/ledger/status")).GET().build())
                .statusCode()).isEqualTo(401);
    }
}
