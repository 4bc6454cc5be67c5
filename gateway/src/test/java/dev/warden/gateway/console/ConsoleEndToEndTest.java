package dev.warden.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console in a real headless Chromium ({@code /usr/bin/chromium}, Debian's package, driven by playwright-core from
 * {@code clients/console-e2e.mjs}): sign in through the OIDC IdP's login form, verify the ledger, create a team and
 * a key in it, read the key from the shown-once box, use it on {@code /v1/chat/completions}, find its usage and its
 * audit entry (included in a signed checkpoint), find the guardrail event for the e-mail address its policy
 * redacted, revoke the key (then 401), download a SOC 2 report and its manifest, sign out. Screenshots of every step
 * stay in {@code gateway/target/console-screenshots/}.
 *
 * <p>Runs with the real clients ({@code -Dwarden.realClients=true} or {@code -Preal-clients}); it then fails, rather
 * than skips, when Chromium, Node or playwright-core is missing.
 */
@EnabledIfSystemProperty(named = "realClients", matches = "true")
class ConsoleEndToEndTest extends ConsoleTestSupport {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CLIENTS = Path.of("..", "clients").toAbsolutePath().normalize();
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();
    private static final List<String> STEPS = List.of("signed-in", "ledger-verified", "team-created", "key-created",
            "key-used", "usage-seen", "audit-seen", "guardrails-seen", "key-revoked", "report-downloaded", "signed-out");

    @Test
    void anAdminSignsInCreatesAKeySeesItUsedRevokesItAndDownloadsAReport() throws Exception {
        requirements();
        recreate(SCREENSHOTS);
        Path profile = Files.createTempDirectory("warden-console-chromium");
        ProcessBuilder builder = new ProcessBuilder("node", "console-e2e.mjs", "http://127.0.0.1:" + port,
                SCREENSHOTS.toString()).directory(CLIENTS.toFile());
        builder.environment().put("WARDEN_E2E_USER", "ada");
        builder.environment().put("WARDEN_E2E_MODEL", "demo");
        // GatewayTestSupport's policy "both": PII redaction in both directions.
        builder.environment().put("WARDEN_E2E_GUARDRAIL_POLICY", "both");
        builder.environment().put("WARDEN_E2E_PROFILE", profile.toString());
        builder.environment().put("CHROMIUM", CHROMIUM.toString());
        Path out = SCREENSHOTS.resolve("e2e-stdout.txt");
        Path err = SCREENSHOTS.resolve("e2e-stderr.txt");
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());

        Process node = builder.start();
        boolean finished;
        try {
            finished = node.waitFor(150, TimeUnit.SECONDS);
        } finally {
            // Never leave a browser behind: node's descendants, then any Chromium still using this test's profile
            // (a browser whose parent died is no longer a descendant).
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(profile.toString()))
                    .forEach(ProcessHandle::destroyForcibly);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(finished).as("console-e2e.mjs finished within 150 s\n" + stdout + stderr).isTrue();
        assertThat(node.exitValue()).as("console-e2e.mjs exit code\nstdout:\n" + stdout + "\nstderr:\n" + stderr)
                .isZero();

        List<JsonNode> lines = stdout.lines().filter(line -> line.startsWith("{")).map(JSON::readTree).toList();
        assertThat(lines.stream().filter(line -> line.has("step")).map(line -> line.get("step").asString()))
                .containsExactlyElementsOf(STEPS);
        JsonNode summary = lines.getLast();
        assertThat(summary.get("result").asString()).isEqualTo("passed");

        // What the browser did, seen from the server: the key exists, was used and is revoked.
        String keyId = summary.get("key_id").asString();
        JsonNode key = JSON.readTree(admin("GET", "/admin/api/keys/" + keyId, null).body());
        assertThat(key.get("revoked_at").isString()).as(key.toString()).isTrue();
        assertThat(key.get("spent_usd").decimalValue()).isPositive();
        assertThat(key.get("models").get(0).asString()).isEqualTo("demo");
        assertThat(key.get("rate_limit").get("rpm").asInt()).isEqualTo(60);
        assertThat(key.get("metadata").get("guardrail_policy").asString()).isEqualTo("both");
        String teamId = lines.stream().filter(line -> line.path("step").asString("").equals("team-created")).findFirst()
                .orElseThrow().get("team_id").asString();
        assertThat(key.get("team").asString()).isEqualTo(teamId);
        JsonNode team = JSON.readTree(admin("GET", "/admin/api/teams/" + teamId, null).body());
        assertThat(team.get("budgets").get(0).get("limit_usd").decimalValue()).isEqualByComparingTo("50");

        try (Stream<Path> files = Files.list(SCREENSHOTS)) {
            List<Path> shots = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
            assertThat(shots).hasSizeGreaterThanOrEqualTo(STEPS.size());
            for (Path shot : shots) {
                byte[] png = Files.readAllBytes(shot);
                assertThat(png.length).as(shot.toString()).isGreaterThan(2000);
                assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).as(shot + " is a PNG").isEqualTo("PNG");
            }
        }
    }

    /** Fails with what to install: this test only runs when real clients were asked for. */
    private static void requirements() throws InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: install Debian's chromium package (apt-get install chromium)");
        }
        if (!Files.isDirectory(CLIENTS.resolve("node_modules").resolve("playwright-core"))) {
            fail("clients/node_modules/playwright-core is missing: run `npm ci` in " + CLIENTS
                    + " (playwright-core only drives the installed Chromium; it downloads no browser)");
        }
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!version.waitFor(20, TimeUnit.SECONDS) || version.exitValue() != 0) {
                fail("`node --version` failed: install Node.js 20 or newer");
            }
        } catch (IOException e) {
            fail("node is not on the PATH: install Node.js 20 or newer (" + e.getMessage() + ")");
        }
    }

    private static void recreate(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
