package dev.warden.compliance.cli;

import dev.warden.compliance.ReportManifest;
import dev.warden.compliance.ReportSettings;
import dev.warden.compliance.ReportSigningKeys;
import dev.warden.compliance.ReportVerifier;
import dev.warden.compliance.Soc2Report;
import dev.warden.compliance.Soc2ReportBuilder;
import dev.warden.compliance.render.ReportRenderer;
import dev.warden.ledger.checkpoint.PublicKeyRing;
import dev.warden.ledger.checkpoint.SigningKey;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code warden report …}: makes a SOC 2 report with its signed manifest, or verifies one offline.
 *
 * <p>Exit codes: 0 done and everything verified; 1 the report was written but the ledger did not verify or did not
 * reconcile (the report says so), or {@code verify} found the report or manifest wrong; 2 usage error (the message
 * names the option).
 */
public final class ReportCommand {
  public static final String USAGE = """
      usage: report soc2 --ledger DIR [--ledger DIR]... --from DATE --to DATE --format pdf|csv|json --out FILE
                         [--org NAME] [--retention TEXT] [--erasure TEXT] [--generated-at INSTANT]
                         [--signing-key FILE [--key-id ID]] [--public-key FILE]...
             report verify --report FILE --manifest FILE --public-key FILE [--ledger DIR]...
        DATE is YYYY-MM-DD (midnight UTC) or an RFC 3339 instant; the period is [--from, --to): --to is exclusive.
        The manifest goes to FILE.manifest.json, signed with --signing-key (PKCS#8 PEM or base64; --key-id, or a
        "key_id:" line in the file) or else the ledger's demo key in DIR/keys/checkpoint-signing.pem.
        --public-key (soc2): trust only these checkpoint keys instead of those kept in DIR/keys/.
        --ledger (verify): also verify that ledger with the public key and check it holds the reported head.
      exit: 0 ok, 1 ledger or report failed verification (the report is still written), 2 usage error""";

  private static final Set<String> SOC2_OPTIONS = Set.of("--ledger", "--from", "--to", "--format", "--out", "--org",
      "--retention", "--erasure", "--generated-at", "--signing-key", "--key-id", "--public-key");
  private static final Set<String> VERIFY_OPTIONS = Set.of("--report", "--manifest", "--public-key", "--ledger");

  private ReportCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> a = new ArrayList<>(List.of(args));
    if (!a.isEmpty() && a.getFirst().equals("report")) {
      a.removeFirst(); // "warden report soc2 …" may hand over its own subcommand name too
    }
    if (a.isEmpty() || a.getFirst().equals("--help") || a.getFirst().equals("-h")) {
      (a.isEmpty() ? err : out).println(USAGE);
      return a.isEmpty() ? 2 : 0;
    }
    String command = a.removeFirst();
    try {
      return switch (command) {
        case "soc2" -> soc2(parse(a, SOC2_OPTIONS), out, err);
        case "verify" -> verify(parse(a, VERIFY_OPTIONS), out, err);
        default -> throw new UsageException("unknown command \"" + command + "\" (expected: soc2 or verify)");
      };
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (UncheckedIOException e) {
      // A ledger file vanished or became unreadable mid-way: no report, and not the caller's mistake.
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private static int soc2(Map<String, List<String>> o, PrintStream out, PrintStream err) {
    List<Path> ledgers = o.getOrDefault("--ledger", List.of()).stream().map(Path::of).toList();
    if (ledgers.isEmpty()) {
      throw new UsageException("--ledger DIR is required");
    }
    for (Path l : ledgers) {
      if (!Files.isDirectory(l)) {
        throw new UsageException("--ledger " + l + " is not a directory");
      }
    }
    Instant from = time("--from", required(o, "--from"));
    Instant to = time("--to", required(o, "--to"));
    if (!from.isBefore(to)) {
      throw new UsageException("--from " + from + " is not before --to " + to + " (the period is [from, to))");
    }
    Path outFile = Path.of(required(o, "--out"));
    String format = optional(o, "--format").orElseGet(() -> extension(outFile));
    ReportRenderer renderer;
    try {
      renderer = ReportRenderer.forFormat(format);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--format " + e.getMessage());
    }
    Instant generatedAt = optional(o, "--generated-at").map(v -> time("--generated-at", v)).orElse(null);
    SigningKey key = signingKey(o, ledgers);
    PublicKeyRing trusted = null;
    for (String f : o.getOrDefault("--public-key", List.of())) {
      trusted = trusted == null ? PublicKeyRing.empty() : trusted;
      try {
        trusted.addPemFile(Path.of(f));
      } catch (IOException | IllegalArgumentException e) {
        throw new UsageException("--public-key " + f + ": " + e.getMessage());
      }
    }
    ReportSettings settings;
    try {
      settings = new ReportSettings(optional(o, "--org").orElse("unnamed organisation"),
          optional(o, "--retention").orElse(ReportSettings.NOT_STATED),
          optional(o, "--erasure").orElse(ReportSettings.NOT_STATED));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--org " + e.getMessage());
    }

    Soc2ReportBuilder b = Soc2ReportBuilder.create().period(from, to).settings(settings).generatedAt(generatedAt)
        .trustedKeys(trusted);
    ledgers.forEach(b::ledger);
    Soc2Report report = b.build();
    byte[] bytes = renderer.render(report);
    byte[] manifest = ReportManifest.create(report, renderer.format(), outFile.getFileName().toString(), bytes, key);
    try {
      Path parent = outFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(outFile, bytes);
      Path m = ReportManifest.write(outFile, manifest);
      out.println("wrote " + outFile + " (" + renderer.format() + ", " + bytes.length + " bytes)");
      out.println("wrote " + m + " (signed by " + key.keyId() + ")");
    } catch (IOException e) {
      err.println("error: could not write " + outFile + ": " + e.getMessage());
      return 1;
    }
    for (Soc2Report.ChainVerification c : report.chains()) {
      out.println("chain " + c.chain() + ": " + c.verified() + "; " + c.entriesInPeriod() + " entries in period");
    }
    if (report.ok()) {
      out.println("OK report over " + report.reconciliation().entries() + " entries; all chains verified and"
          + " reconciled");
      return 0;
    }
    err.println("FAIL the report was written but states that the ledger is not verified or does not reconcile:");
    report.statusReasons().forEach(r -> err.println("  " + r));
    return 1;
  }

  private static SigningKey signingKey(Map<String, List<String>> o, List<Path> ledgers) {
    Optional<String> file = optional(o, "--signing-key");
    Optional<String> keyId = optional(o, "--key-id");
    try {
      if (file.isPresent()) {
        return ReportSigningKeys.fromFile(Path.of(file.get()), keyId.orElse(null));
      }
      if (keyId.isPresent()) {
        throw new UsageException("--key-id needs --signing-key FILE");
      }
      for (Path l : ledgers) {
        Optional<SigningKey> demo = ReportSigningKeys.demoKey(l);
        if (demo.isPresent()) {
          return demo.get();
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("--signing-key " + file.orElse("(ledger demo key)") + ": " + e.getMessage());
    }
    throw new UsageException("--signing-key FILE is required: no ledger has a demo key in keys/"
        + ReportSigningKeys.DEMO_KEY_FILE);
  }

  private static int verify(Map<String, List<String>> o, PrintStream out, PrintStream err) {
    Path report = Path.of(required(o, "--report"));
    Path manifest = Path.of(required(o, "--manifest"));
    String keyFile = required(o, "--public-key");
    for (var e : Map.of("--report", report, "--manifest", manifest).entrySet()) {
      if (!Files.isRegularFile(e.getValue())) {
        throw new UsageException(e.getKey() + " " + e.getValue() + " is not a file");
      }
    }
    ReportVerifier.Result result;
    List<ReportVerifier.Result> ledgerResults = new ArrayList<>();
    try {
      PublicKey key = ReportSigningKeys.publicKey(Path.of(keyFile));
      result = ReportVerifier.verify(report, manifest, key);
      if (result.ok()) {
        for (String dir : o.getOrDefault("--ledger", List.of())) {
          if (!Files.isDirectory(Path.of(dir))) {
            throw new UsageException("--ledger " + dir + " is not a directory");
          }
          ledgerResults.add(ReportVerifier.verifyLedger(manifest, Path.of(dir), key));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException("--public-key " + keyFile + ": " + e.getMessage());
    } catch (IOException e) {
      throw new UsageException("could not read: " + e.getMessage());
    }
    boolean ok = result.ok();
    (result.ok() ? out : err).println(result.summary());
    for (ReportVerifier.Result r : ledgerResults) {
      (r.ok() ? out : err).println(r.summary());
      ok &= r.ok();
    }
    if (result instanceof ReportVerifier.Valid v && !"OK".equals(v.reportStatus())) {
      err.println("note: the report is authentic, and it states that its ledger did not verify or reconcile");
      return 1;
    }
    return ok ? 0 : 1;
  }

  private static Map<String, List<String>> parse(List<String> args, Set<String> known) {
    Map<String, List<String>> o = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      String value = null;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!known.contains(name)) {
        throw new UsageException("unknown option " + name);
      }
      if (value == null) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          throw new UsageException("option " + name + " needs a value");
        }
        value = args.get(++i);
      }
      o.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return o;
  }

  private static String required(Map<String, List<String>> o, String name) {
    return optional(o, name).orElseThrow(() -> new UsageException(name + " is required"));
  }

  private static Optional<String> optional(Map<String, List<String>> o, String name) {
    List<String> v = o.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v.size() > 1) {
      throw new UsageException(name + " given " + v.size() + " times (expected: once)");
    }
    return Optional.of(v.getFirst());
  }

  private static Instant time(String option, String v) {
    try {
      return v.contains("T") ? Instant.parse(v) : LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new UsageException(option + " \"" + v + "\" (expected: YYYY-MM-DD or an instant like"
          + " 2026-11-01T00:00:00Z)");
    }
  }

  private static String extension(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    if (dot < 0) {
      throw new UsageException("--format is required (pdf, csv or json)");
    }
    return n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** A mistake in the arguments; the message names the option and what was expected. */
  private static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
