package dev.warden.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WardenCliTest {

    @Test
    void serveMapsOptionsOntoProperties(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("warden.yaml"), "warden: {}\n");

        assertThat(WardenCli.serveArguments(new String[] {"--demo", "--port", "9000", "--data-dir", "/tmp/d",
                "--config", config.toString()}))
                .containsExactly("--warden.demo=true", "--server.port=9000", "--warden.data-dir=/tmp/d",
                        "--spring.config.additional-location=file:" + config.toAbsolutePath(),
                        "--server.address=127.0.0.1");
    }

    @Test
    void badServeOptionsAreUsageErrors() {
        assertThatThrownBy(() -> WardenCli.serveArguments(new String[] {"--port", "http"}))
                .hasMessage("--port: \"http\" (expected: 0..65535)");
        assertThatThrownBy(() -> WardenCli.serveArguments(new String[] {"--config", "/no/such/file.yaml"}))
                .hasMessageContaining("is not a readable file");
        assertThatThrownBy(() -> WardenCli.serveArguments(new String[] {"--frobnicate"}))
                .hasMessageContaining("unknown option");
    }

    @Test
    void unknownCommandExitsWithUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WardenCli.run(new String[] {"fly"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'fly'").contains("usage:");
    }

    @Test
    void codexPrintConfigShowsTheProfileAndWritesNothing(@TempDir Path home) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodexLauncher launcher = new CodexLauncher(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()), Map.of("CODEX_HOME", home.toString()));

        int code = launcher.run(new String[] {"--print-config", "--gateway", "https://warden.corp.example/",
                "--model", "gpt-5-codex"});

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("base_url = \"https://warden.corp.example/v1\"")
                .contains("wire_api = \"responses\"").contains("env_key = \"WARDEN_API_KEY\"")
                .contains("model = \"gpt-5-codex\"").contains("codex --profile warden");
        assertThat(home.resolve("warden.config.toml")).doesNotExist();
    }

    @Test
    void tomlValuesAreEscaped() {
        assertThat(CodexProfiles.profile("http://h/v1", "we\"ird\\model", "K")).contains("model = \"we\\\"ird\\\\model\"");
    }
}
