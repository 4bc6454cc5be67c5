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
    void theAuditTrailNeedsAnAdminCredential() {
        assertThat(send(java.net.http.HttpRequest.newBuilder(url("/admin/api/ledger/status")).GET().build())
                .statusCode()).isEqualTo(401);
    }
}
