package dev.warden.ledger.verify;

import dev.warden.ledger.checkpoint.PublicKeyRing;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The auditor's command line; the module jar's {@code Main-Class}:
 *
 * <pre>
 * java -jar warden-audit-ledger.jar verify --dir DIR [--public-key FILE]... [--chain ID] [--stale-after SECONDS]
 * java -cp warden-audit-ledger.jar:kafka-clients.jar dev.warden.ledger.verify.VerifyCommand \
 *      verify --kafka HOST:PORT --topic TOPIC --public-key FILE... [--chain ID]
 * </pre>
 *
 * <p>Exit status 0 and {@code OK <n> entries, head <hash>} for an intact ledger; 1 and
 * {@code FAIL at entry <n>: <reason>} otherwise; 2 for a usage error. Further lines report checkpoint freshness and
 * anything noteworthy. With {@code --public-key}, only the given keys are trusted (not those in the ledger dir).
 */
public final class VerifyCommand {
  private VerifyCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> a = new ArrayList<>(List.of(args));
    if (a.isEmpty() || a.get(0).equals("--help") || a.get(0).equals("-h")) {
      usage(out);
      return a.isEmpty() ? 2 : 0;
    }
    if (!a.get(0).equals("verify")) {
      err.println("unknown command " + a.get(0) + " (expected: verify)");
      usage(err);
      return 2;
    }
    Path dir = null;
    String kafka = null;
    String topic = null;
    String chain = null;
    Duration staleAfter = Duration.ofMinutes(5);
    PublicKeyRing keys = PublicKeyRing.empty();
    try {
      for (int i = 1; i < a.size(); i++) {
        String opt = a.get(i);
        switch (opt) {
          case "--dir" -> dir = Path.of(value(a, ++i, opt));
          case "--public-key" -> keys.addPemFile(Path.of(value(a, ++i, opt)));
          case "--chain" -> chain = value(a, ++i, opt);
          case "--kafka" -> kafka = value(a, ++i, opt);
          case "--topic" -> topic = value(a, ++i, opt);
          case "--stale-after" -> staleAfter = Duration.ofSeconds(Long.parseLong(value(a, ++i, opt)));
          default -> throw new IllegalArgumentException("unknown option " + opt);
        }
      }
    } catch (IllegalArgumentException | IOException e) {
      err.println("usage error: " + e.getMessage());
      usage(err);
      return 2;
    }
    VerifyOptions options =
        new VerifyOptions(keys, keys.isEmpty(), chain, Clock.systemUTC(), staleAfter, Pacer.NONE);
    try {
      if (dir != null && kafka == null) {
        VerificationResult r = LedgerVerifier.verify(dir, options);
        r.lines().forEach(out::println);
        return r.ok() ? 0 : 1;
      }
      if (kafka != null && dir == null) {
        if (topic == null) {
          err.println("usage error: --kafka needs --topic");
          return 2;
        }
        if (keys.isEmpty()) {
          err.println("usage error: --kafka needs --public-key (a topic carries no keys)");
          return 2;
        }
        return verifyKafka(kafka, topic, options, out);
      }
      err.println("usage error: give exactly one of --dir and --kafka");
      usage(err);
      return 2;
    } catch (UncheckedIOException e) {
      out.println("FAIL at entry 0: " + e.getMessage());
      return 1;
    }
  }

  private static int verifyKafka(String bootstrap, String topic, VerifyOptions options, PrintStream out) {
    Map<String, VerificationResult> results;
    try {
      // Reflection-free but class-loading-lazy: kafka-clients is only needed on this path.
      results = dev.warden.ledger.kafka.KafkaChainReader.verifyTopic(bootstrap, topic, options);
    } catch (NoClassDefFoundError e) {
      out.println("FAIL at entry 0: kafka-clients is not on the class path (add it with -cp)");
      return 1;
    }
    if (results.isEmpty()) {
      out.println("FAIL at entry 0: topic " + topic + " holds no chain"
          + (options.chain() == null ? "" : " named " + options.chain()));
      return 1;
    }
    boolean ok = true;
    for (Map.Entry<String, VerificationResult> e : results.entrySet()) {
      VerificationResult r = e.getValue();
      out.println(r.summary() + " (chain " + e.getKey() + ")");
      r.notes().forEach(n -> out.println("  " + n));
      ok &= r.ok();
    }
    return ok ? 0 : 1;
  }

  private static String value(List<String> a, int i, String opt) {
    if (i >= a.size()) {
      throw new IllegalArgumentException(opt + " needs a value");
    }
    return a.get(i);
  }

  private static void usage(PrintStream s) {
    s.println("usage: java -jar warden-audit-ledger.jar verify --dir DIR [--public-key FILE]... [--chain ID]"
        + " [--stale-after SECONDS]");
    s.println("       ... verify --kafka HOST:PORT --topic TOPIC --public-key FILE... [--chain ID]"
        + "   (kafka-clients on the class path)");
  }
}
