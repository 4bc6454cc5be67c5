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
 * {@code warden codex}: points Codex CLI at this gateway and launches it. It writes a {@code model_providers.warden}
 * entry (Responses wire API, base URL ending in {@code /v1}, key read from an environment variable) and a
 * {@code profiles.warden} profile into Codex's {@code config.toml}, between marker lines so re-running replaces
 * only its own block and leaves the rest of the file alone. Installs Codex with npm if missing, after asking.
 */
final class CodexLauncher {
    static final String BEGIN = "# >>> warden (managed by `warden codex`) >>>";
    static final String END = "# <<< warden <<<";

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
        Path config = codexHome().resolve("config.toml");
        String block = block(baseUrl, model, keyEnv);
        if (printOnly) {
            out.println("# would write to " + config);
            out.print(block);
            out.println("# and run: codex --profile warden" + (codexArgs.isEmpty() ? "" : " " + String.join(" ", codexArgs)));
            return 0;
        }
        try {
            Files.createDirectories(config.getParent());
            String existing = Files.isRegularFile(config) ? Files.readString(config, StandardCharsets.UTF_8) : "";
            Files.writeString(config, merge(existing, block), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("warden: cannot write " + config + ": " + e.getMessage());
            return 2;
        }
        out.println("Codex configured: provider 'warden' -> " + baseUrl + " (key from $" + keyEnv + "), profile 'warden'");
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

    static String block(String baseUrl, String model, String keyEnv) {
        return BEGIN + "\n"
                + "[model_providers.warden]\n"
                + "name = \"Warden\"\n"
                + "base_url = " + toml(baseUrl) + "\n"
                + "env_key = " + toml(keyEnv) + "\n"
                + "wire_api = \"responses\"\n"
                + "\n"
                + "[profiles.warden]\n"
                + "model_provider = \"warden\"\n"
                + "model = " + toml(model) + "\n"
                + END + "\n";
    }

    /** Replaces our block if present, otherwise appends it; tables are self-contained, so appending is safe. */
    static String merge(String existing, String block) {
        int begin = existing.indexOf(BEGIN);
        int end = existing.indexOf(END);
        if (begin >= 0 && end > begin) {
            int after = existing.indexOf('\n', end);
            return existing.substring(0, begin) + block + (after < 0 ? "" : existing.substring(after + 1));
        }
        String separator = existing.isEmpty() || existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n";
        return existing + separator + block;
    }

    private static String toml(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
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
