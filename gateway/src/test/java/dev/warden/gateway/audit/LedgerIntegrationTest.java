package dev.warden.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.cli.WardenCliAccess;
import dev.warden.gateway.testing.GatewayTestSupport;
import dev.warden.ledger.Ledger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every outcome is in the ledger, bodies only as keyed digests, and the offline verifier accepts the chain. */
class LedgerIntegrationTest extends GatewayTestSupport {
    @Autowired
    Ledger ledger;

    @Test
    void answeredAndRefusedRequestsAreRecordedAndTheChainVerifies() throws Exception {
        String prompt = "confidential prompt text 8f2c";
        HttpResponse<String> ok = post("/v1/chat/completions", chat("solo", prompt, false));
        HttpResponse<String> streamed = post("/v1/chat/completions", chat("demo", prompt, true));
        HttpResponse<String> refused = post("/v1/chat/completions", chat("solo", prompt, false),
                Map.of("authorization", "Bearer wk-not-a-key"));
        HttpResponse<String> malformed = post("/v1/chat/completions", "{\"model\":");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(401);
        ledger.checkpoint();

        List<String> lines = ledgerLines(ledger.dir());
        assertThat(linesFor(lines, ok)).anyMatch(l -> l.contains("\"kind\":\"request\""))
                .anyMatch(l -> l.contains("\"kind\":\"response\"") && l.contains("\"provider\":\"primary\"")
                        && l.contains("\"cost_usd\""));
        assertThat(linesFor(lines, streamed)).anyMatch(l -> l.contains("\"kind\":\"response\"")
                && l.contains("\"stream\":\"true\""));
        assertThat(linesFor(lines, refused)).singleElement().satisfies(l ->
                assertThat(l).contains("\"kind\":\"rejection\"").contains("\"status\":401"));
        assertThat(linesFor(lines, malformed)).singleElement().satisfies(l ->
                assertThat(l).contains("\"kind\":\"rejection\"").contains("\"status\":400"));
        assertThat(String.join("\n", lines)).doesNotContain(prompt).doesNotContain(key);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = WardenCliAccess.run(new String[] {"ledger", "verify", "--dir", ledger.dir().toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("OK ");
    }

    @Test
    void adminChangesAreRecorded() throws Exception {
        HttpResponse<String> created = admin("POST", "/admin/api/keys", "{\"name\":\"audited-" + System.nanoTime()
                + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        ledger.checkpoint();
        assertThat(ledgerLines(ledger.dir())).anyMatch(l -> l.contains("\"kind\":\"admin_change\"")
                && l.contains("key.create") && l.contains("admin-token"));
        String secret = created.body().replaceAll(".*\"key\":\"(wk-[^\"]+)\".*", "$1");
        assertThat(String.join("\n", ledgerLines(ledger.dir()))).doesNotContain(secret);
    }

    @Test
    void aSoc2ReportIsBuiltFromTheVerifiedLedgerByTheCliAndTheAdminApi() throws Exception {
        post("/v1/chat/completions", chat("solo", "report me", false));
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        String period = "from=" + today + "&to=" + today.plusDays(1);

        HttpResponse<String> json = admin("GET", "/admin/api/reports/soc2?" + period + "&format=json", null);
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        assertThat(json.headers().firstValue("x-warden-report-status")).hasValue("OK");
        assertThat(json.body()).as("the retention section states this gateway's settings")
                .contains("request and response bodies not kept (keyed digests only)");
        HttpResponse<String> manifest = admin("GET", "/admin/api/reports/soc2?" + period
                + "&format=json&part=manifest", null);
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(manifest.body()).contains("sig");
        HttpResponse<String> unknownPart = admin("GET", "/admin/api/reports/soc2?" + period
                + "&format=json&part=..%2F..%2Fetc%2Fpasswd", null);
        assertThat(unknownPart.statusCode()).as("not silently the whole report").isEqualTo(400);
        assertThat(unknownPart.body()).contains("expected: report or manifest");
        assertThat(admin("GET", "/admin/api/reports/soc2?" + period + "&format=csv&org=" + "x".repeat(300), null)
                .statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/api/reports/soc2?" + period + "&format=csv&org=Bank%0AForged", null)
                .statusCode()).isEqualTo(400);

        Path out = Files.createTempDirectory("report").resolve("soc2.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = WardenCliAccess.run(new String[] {"report", "soc2", "--ledger", ledger.dir().toString(),
                "--from", today.toString(), "--to", today.plusDays(1).toString(), "--format", "json",
                "--out", out.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(Files.readString(out)).contains("\"status\"");
        assertThat(out.resolveSibling("soc2.json.manifest.json")).exists();
    }

    private static List<String> linesFor(List<String> lines, HttpResponse<String> response) {
        String id = response.headers().firstValue("x-request-id").orElseThrow();
        return lines.stream().filter(l -> l.contains("\"request_id\":\"" + id + "\"")).toList();
    }
}
