package dev.warden.gateway.cli;

import dev.warden.gateway.WardenApplication;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.SpringApplication;

/**
 * {@code warden <command>}: the single entry point of the distribution ({@code bin/warden} runs this class).
 * Exit codes: 0 success, 1 a check failed (e.g. ledger verification), 2 usage or configuration error.
 */
public final class WardenCli {
    static final String USAGE = """
            usage: warden <command> [options]

            commands:
              serve [--config FILE] [--demo] [--port N] [--data-dir DIR] [--host ADDRESS]
                    run the gateway (demo mode needs no configuration and no network)
              ledger verify --dir DIR [--public-key FILE]... [--chain ID]
                    verify an audit ledger offline: exit 0 "OK <n> entries, head <hash>", exit 1 "FAIL at entry <n>: …"
              report soc2 --from D --to D --format pdf|csv|json --out FILE [--data-dir DIR | --ledger DIR]... [--org NAME]
                    SOC 2 report from the verified audit ledger, with a signed manifest (FILE.manifest.json)
              report verify --report FILE --manifest FILE --public-key FILE
                    check a report and its manifest offline
              redact
                    read text on stdin, write it with personal data and secrets redacted to stdout
              codex [--print-config] [--gateway URL] [--model NAME] [--key-env VAR] [--yes] [-- CODEX_ARGS...]
                    configure Codex CLI to use this gateway and launch it
              help  show this text
            """;

    private WardenCli() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0 || args.length == 0 || !"serve".equals(args[0])) {
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || "help".equals(args[0]) || "--help".equals(args[0]) || "-h".equals(args[0])) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "serve" -> serve(rest);
                case "codex" -> new CodexLauncher(out, err).run(rest);
                case "ledger" -> ledger(rest, out, err);
                case "redact" -> dev.warden.guardrails.cli.RedactCommand.run(System.in, out);
                case "report" -> report(rest, out, err);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            err.println("warden: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
    }

    static int ledger(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !"verify".equals(args[0])) {
            throw new UsageException("ledger: expected 'ledger verify --dir DIR'");
        }
        return dev.warden.ledger.verify.VerifyCommand.run(args, out, err);
    }

    /** {@code report soc2|verify}: the ledger defaults to {@code <data-dir>/ledger} (data dir default ./data). */
    static int report(String[] args, PrintStream out, PrintStream err) {
        List<String> forwarded = new ArrayList<>();
        String dataDir = "./data";
        boolean ledgerGiven = false;
        for (int i = 0; i < args.length; i++) {
            if ("--data-dir".equals(args[i])) {
                dataDir = value(args, ++i, "--data-dir");
                continue;
            }
            ledgerGiven |= "--ledger".equals(args[i]);
            forwarded.add(args[i]);
        }
        if (!forwarded.isEmpty() && "soc2".equals(forwarded.get(0)) && !ledgerGiven) {
            forwarded.add("--ledger");
            forwarded.add(Path.of(dataDir, "ledger").toString());
        }
        return dev.warden.compliance.cli.ReportCommand.run(forwarded.toArray(String[]::new), out, err);
    }

    static int serve(String[] args) {
        SpringApplication application = new SpringApplication(WardenApplication.class);
        String[] springArgs = serveArguments(args).toArray(String[]::new);
        try {
            application.run(springArgs);
            return 0;
        } catch (RuntimeException e) {
            // Spring Boot has already printed the failure analysis (the option, the value, what was expected).
            return 2;
        }
    }

    /** Maps {@code serve} options onto the application's properties. */
    static List<String> serveArguments(String[] args) {
        List<String> spring = new ArrayList<>();
        boolean demo = false;
        boolean host = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--demo" -> {
                    demo = true;
                    spring.add("--warden.demo=true");
                }
                case "--config" -> {
                    Path file = Path.of(value(args, ++i, arg)).toAbsolutePath();
                    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                        throw new UsageException("--config: " + file + " is not a readable file");
                    }
                    spring.add("--spring.config.additional-location=file:" + file);
                }
                case "--port" -> {
                    String value = value(args, ++i, arg);
                    int port;
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        port = -1;
                    }
                    if (port < 0 || port > 65535) {
                        throw new UsageException("--port: \"" + value + "\" (expected: 0..65535)");
                    }
                    spring.add("--server.port=" + port);
                }
                case "--data-dir" -> spring.add("--warden.data-dir=" + value(args, ++i, arg));
                case "--host" -> {
                    host = true;
                    spring.add("--server.address=" + value(args, ++i, arg));
                }
                default -> {
                    if (arg.startsWith("--") && arg.contains("=")) {
                        spring.add(arg); // any property, e.g. --warden.limits.max-body-size=20MB
                    } else {
                        throw new UsageException("serve: unknown option '" + arg + "'");
                    }
                }
            }
        }
        if (demo && !host) {
            // A demo listens on loopback only unless asked otherwise: its key and token are printed on screen.
            spring.add("--server.address=127.0.0.1");
        }
        return spring;
    }

    static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new UsageException(option + ": missing value");
        }
        return args[index];
    }

    /** A command line that cannot be run as written. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
