package dev.warden.gateway.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code warden codex}: points Codex CLI at this gateway and launches it. It writes Codex's profile file
 * {@code $CODEX_HOME/warden.config.toml} (Codex 0.169+ keeps each profile in its own file) with a
 * {@code model_providers.warden} entry (Responses wire API, base URL ending in {@code /v1}, key read from an
 * environment variable) and selects it; the user's own {@code config.toml} is never touched. Then it runs
 * {@code codex --profile warden}, installing Codex with npm first if it is missing (after asking).
 */
final class CodexLauncher {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    CodexLauncher(PrintStream out, PrintStream err) {
        this(out, err, System.getenv());
    }

    CodexLauncher(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    int run(String[] args) {
        boolean printOnly = false;
        boolean yes = false;
        String gateway = env.getOrDefault("WARDEN_URL", "http://127.0.0.1:8080/v1");
        String model = env.getOrDefault("WARDEN_MODEL", "demo");
        String keyEnv = "WARDEN_API_KEY";
        List<String> codexArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--print-config" -> printOnly = true;
                case "--yes", "-y" -> yes = true;
                case "--gateway" -> gateway = WardenCli.value(args, ++i, "--gateway");
                case "--model" -> model = WardenCli.value(args, ++i, "--model");
                case "--key-env" -> keyEnv = WardenCli.value(args, ++i, "--key-env");
                case "--" -> {
                    codexArgs.addAll(List.of(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> throw new WardenCli.UsageException("codex: unknown option '" + args[i]
                        + "' (pass Codex's own arguments after --)");
            }
        }
        String baseUrl = baseUrl(gateway);
        if (!keyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new WardenCli.UsageException("--key-env: \"" + keyEnv + "\" (expected: an environment variable name)");
        }
        Path config = codexHome().resolve("warden.config.toml");
        String block = CodexProfiles.profile(baseUrl, model, keyEnv);
        if (printOnly) {
            out.println("# would write to " + config);
            out.print(block);
            out.println("# and run: codex --profile warden" + (codexArgs.isEmpty() ? "" : " " + String.join(" ", codexArgs)));
            return 0;
        }
        try {
            Files.createDirectories(config.getParent());
            Files.writeString(config, block, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("warden: cannot write " + config + ": " + e.getMessage());
            return 2;
        }
        out.println("Codex profile 'warden' written to " + config + ": " + baseUrl + " (key from $" + keyEnv + ")");
        if (env.get(keyEnv) == null || env.get(keyEnv).isBlank()) {
            err.println("warden: $" + keyEnv + " is not set; export your Warden virtual key first");
        }
        String codex = findCodex();
        if (codex == null) {
            if (!yes && !confirm("Codex CLI is not installed. Install it now with 'npm install -g @openai/codex'? [y/N] ")) {
                err.println("warden: Codex CLI not installed; run 'npm install -g @openai/codex' and try again");
                return 2;
            }
            int installed = exec(List.of("npm", "install", "-g", "@openai/codex"));
            if (installed != 0) {
                err.println("warden: npm install failed with exit code " + installed);
                return installed;
            }
            codex = findCodex();
            if (codex == null) {
                err.println("warden: Codex CLI still not found on PATH after installing");
                return 2;
            }
        }
        List<String> command = new ArrayList<>(List.of(codex, "--profile", "warden"));
        command.addAll(codexArgs);
        return exec(command);
    }

    static String baseUrl(String gateway) {
        String url = gateway.strip();
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new WardenCli.UsageException("--gateway: \"" + gateway + "\" (expected: an http(s) URL)");
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url.endsWith("/v1") ? url : url + "/v1";
    }

    private Path codexHome() {
        String home = env.get("CODEX_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".codex");
    }

    private @Nullable String findCodex() {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "codex"))) {
                return Path.of(dir, "codex").toString();
            }
        }
        Path local = Path.of("node_modules", ".bin", "codex");
        return Files.isExecutable(local) ? local.toAbsolutePath().toString() : null;
    }

    private boolean confirm(String question) {
        out.print(question);
        out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }

    private int exec(List<String> command) {
        try {
            return new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (IOException e) {
            err.println("warden: cannot run " + command.get(0) + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
