package dev.warden.gateway.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.testing.FakeUpstream;
import dev.warden.gateway.testing.GatewayTestSupport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Codex CLI for real ({@code npm ci} in {@code clients/}; run with {@code -Preal-clients}): {@code codex exec}
 * through the running gateway, configured by the same profile {@code warden codex} writes.
 */
@EnabledIfSystemProperty(named = "realClients", matches = "true")
class CodexCliTest extends GatewayTestSupport {

    /** The port the client is pointed at: Tomcat's main port here, the API listener's in the subclass. */
    protected int clientPort() {
        return port;
    }


    @Test
    void codexExecCompletesThroughTheGatewayToAResponsesUpstream() throws Exception {
        PRIMARY.respond(FakeUpstream.responsesStream("pong from the upstream"));

        Result result = codex("solo", "ping through warden");

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("pong from the upstream");
        List<FakeUpstream.Received> calls = PRIMARY.received();
        assertThat(calls).isNotEmpty();
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.path()).isEqualTo("/v1/responses");
            assertThat(call.body()).contains("ping through warden").contains("\"stream\":true");
            assertThat(call.headers().get("authorization")).isIn("Bearer " + PRIMARY_SECRET_A,
                    "Bearer " + PRIMARY_SECRET_B);
        });
    }

    @Test
    void codexExecCompletesAgainstTheDemoProvider() throws Exception {
        Result result = codex("demo", "hello demo");

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Warden demo reply").contains("hello demo");
    }

    private Result codex(String model, String prompt) throws IOException, InterruptedException {
        Path binary = Path.of("..", "clients", "node_modules", ".bin", "codex").toAbsolutePath().normalize();
        assertThat(binary).as("run `npm ci` in clients/ first").isExecutable();
        Path home = Files.createTempDirectory("codex-home");
        Path work = Files.createTempDirectory("codex-work");
        Files.writeString(home.resolve("warden.config.toml"), dev.warden.gateway.cli.CodexProfiles.profile(
                "http://127.0.0.1:" + clientPort() + "/v1", model, "WARDEN_API_KEY"), StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "exec", "--skip-git-repo-check", "--profile",
                "warden", prompt).directory(work.toFile());
        builder.environment().put("CODEX_HOME", home.toString());
        builder.environment().put("WARDEN_API_KEY", key);
        builder.environment().remove("OPENAI_API_KEY");
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("codex did not finish within 120 s: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Result(int exit, String stdout, String stderr) {
    }
}
