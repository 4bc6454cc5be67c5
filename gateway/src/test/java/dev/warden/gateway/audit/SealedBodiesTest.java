package dev.warden.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.auth.KeyMaterial;
import dev.warden.gateway.cli.WardenCliAccess;
import dev.warden.gateway.testing.GatewayTestSupport;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerEntry;
import dev.warden.ledger.LedgerReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code warden.ledger.bodies.capture=sealed} the ledger keeps the (redacted) prompt and the answer, encrypted
 * under the data subject's key: readable with the key, never in clear on disk, unreadable once the subject is
 * erased, and the chain still verifies.
 */
class SealedBodiesTest extends GatewayTestSupport {
    @Autowired
    Ledger ledger;

    @DynamicPropertySource
    static void sealed(DynamicPropertyRegistry registry) {
        registry.add("warden.ledger.bodies.capture", () -> "sealed");
        registry.add("warden.ledger.bodies.max-bytes", () -> "4KB");
    }

    @Test
    void promptAndAnswerAreSealedUnderTheKeyOwnerAndErasureShredsThem() throws Exception {
        String owner = "alice-" + System.nanoTime() + "@example.com";
        String apiKey = keyOwnedBy(owner, Map.of()); // the default policy redacts personal data
        String prompt = "sealed prompt 7d1e, reach me at bob.jones@example.org";

        HttpResponse<String> plain = post("/v1/chat/completions", chat("demo", prompt, false), bearer(apiKey));
        HttpResponse<String> streamed = post("/v1/chat/completions", chat("demo", prompt, true), bearer(apiKey));
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
        ledger.checkpoint();

        LedgerEntry request = entry(plain, "request");
        String sealedPrompt = unsealed(request.requestBody());
        assertThat(sealedPrompt).contains("sealed prompt 7d1e")
                .as("the body is kept as it left, after redaction").doesNotContain("bob.jones@example.org");
        assertThat(request.subject()).isEqualTo(ledger.subjectRef(owner));
        assertThat(unsealed(entry(plain, "response").responseBody())).contains("chat.completion");
        assertThat(unsealed(entry(streamed, "response").responseBody())).contains("chat.completion.chunk");
        assertThat(String.join("\n", ledgerLines(ledger.dir())))
                .doesNotContain("sealed prompt 7d1e");

        HttpResponse<String> erased = admin("POST", "/admin/api/erasures", "{\"subject\":\"" + owner
                + "\",\"reason\":\"test\"}");
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(201);

        assertThat(ledger.unseal(entry(plain, "request").requestBody())).isEmpty();
        assertThat(ledger.unseal(entry(streamed, "response").responseBody())).isEmpty();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = WardenCliAccess.run(new String[] {"ledger", "verify", "--dir", ledger.dir().toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void theSoc2ReportStatesTheRetentionInForce() {
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        HttpResponse<String> report = admin("GET", "/admin/api/reports/soc2?from=" + today + "&to=" + today.plusDays(1)
                + "&format=json", null);
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("encrypted (AES-256-GCM) under a key per data subject and day")
                .contains("unreadable after 30 days");
    }

    @Test
    void aBodyOverTheLimitIsRecordedByDigestOnly() {
        String apiKey = keyOwnedBy("big-" + System.nanoTime(), Map.of());
        HttpResponse<String> big = post("/v1/chat/completions", chat("demo", "x".repeat(6000), false), bearer(apiKey));
        assertThat(big.statusCode()).isEqualTo(200);
        ledger.checkpoint();

        LedgerEntry request = entry(big, "request");
        assertThat(request.requestBody()).isNull();
        assertThat(request.requestDigest()).startsWith("hmac-sha256:");
        assertThat(request.attrs().get("request_body")).startsWith("not kept: ").contains("max-bytes 4096");
    }

    private String keyOwnedBy(String owner, Map<String, String> metadata) {
        String value = KeyMaterial.newKey();
        keys.insert(KeyMaterial.newId("key_"), "sealed", KeyMaterial.hash(value), KeyMaterial.hint(value), owner,
                null, List.of(), List.of(), metadata, null, Instant.now());
        return value;
    }

    private static Map<String, String> bearer(String apiKey) {
        return Map.of("authorization", "Bearer " + apiKey);
    }

    private String unsealed(dev.warden.ledger.@org.jspecify.annotations.Nullable SealedBody body) {
        assertThat(body).as("sealed body").isNotNull();
        return new String(ledger.unseal(body).orElseThrow(), StandardCharsets.UTF_8);
    }

    private LedgerEntry entry(HttpResponse<String> response, String kind) {
        String id = response.headers().firstValue("x-request-id").orElseThrow();
        return LedgerReader.readAll(ledger.dir()).stream()
                .filter(e -> id.equals(e.requestId()) && kind.equals(e.kind())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " entry for request " + id));
    }
}
