package dev.warden.compliance;

import static java.util.Objects.requireNonNull;

import dev.warden.compliance.Soc2Report.ChainVerification;
import dev.warden.compliance.Soc2Report.CheckpointRef;
import dev.warden.ledger.checkpoint.SigningKey;
import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.Sha256;
import dev.warden.ledger.json.CanonicalJson;
import dev.warden.ledger.json.Rfc3339;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The signed statement that travels with a report file ({@code <report>.manifest.json}): "this file, with this
 * SHA-256, reports on this period of these chains, whose heads were these". One line of RFC 8785 canonical JSON:
 *
 * <pre>{"key_id":"…","ledgers":[{"chain":"gw-1","checkpoint":{"head":"…","key_id":"…","size":120},"entries":130,
 * "head":"…","last_seq_in_period":99}],"organisation":"Acme","period":{"from":"…","to":"…"},
 * "report":{"file":"soc2.pdf","format":"pdf","sha256":"…","size":48213},"schema":"warden.report-manifest/v1",
 * "sig":"…","status":"OK"}</pre>
 *
 * <p>{@code sig} is Ed25519, unpadded base64url, over the canonical JSON of every other member, exactly as the
 * ledger signs its checkpoints, and with the same key, so {@link ReportVerifier} needs only the ledger's public key.
 */
public final class ReportManifest {
  public static final String SCHEMA = "warden.report-manifest/v1";
  public static final String SUFFIX = ".manifest.json";

  private ReportManifest() {}

  /** Where the manifest of {@code report} goes: beside it, named {@code <report>.manifest.json}. */
  public static Path pathFor(Path report) {
    return report.resolveSibling(report.getFileName() + SUFFIX);
  }

  /** The manifest bytes (canonical JSON and a newline) for the rendered {@code reportBytes}. */
  public static byte[] create(Soc2Report report, String format, String fileName, byte[] reportBytes,
      SigningKey key) {
    requireNonNull(report, "report");
    requireNonNull(key, "key");
    Map<String, Object> m = new TreeMap<>();
    m.put("schema", SCHEMA);
    m.put("organisation", report.scope().organisation());
    m.put("status", report.status().name());
    m.put("period", Map.of("from", Rfc3339.format(report.scope().from()), "to", Rfc3339.format(report.scope().to())));
    m.put("report", Map.of("file", fileName, "format", format, "sha256", Hex.encode(Sha256.hash(reportBytes)),
        "size", (long) reportBytes.length));
    List<Object> ledgers = new ArrayList<>();
    for (ChainVerification c : report.chains()) {
      Map<String, Object> l = new TreeMap<>();
      l.put("chain", c.chain());
      l.put("entries", c.entriesInChain());
      l.put("verified", c.verified());
      if (c.head() != null) {
        l.put("head", c.head());
      }
      if (c.lastSeq() != null) {
        l.put("last_seq_in_period", c.lastSeq());
      }
      CheckpointRef cp = c.coveringCheckpoint();
      if (cp != null) {
        l.put("checkpoint", Map.of("size", cp.size(), "head", cp.head(), "key_id", cp.keyId()));
      }
      ledgers.add(l);
    }
    m.put("ledgers", ledgers);
    m.put("key_id", key.keyId());
    m.put("sig", sign(CanonicalJson.encode(m), key));
    byte[] line = CanonicalJson.encode(m);
    byte[] out = new byte[line.length + 1];
    System.arraycopy(line, 0, out, 0, line.length);
    out[line.length] = '\n';
    return out;
  }

  /** Writes {@code manifest} beside {@code report}, returns its path. */
  public static Path write(Path report, byte[] manifest) throws IOException {
    Path p = pathFor(report);
    Files.write(p, manifest);
    return p;
  }

  private static String sign(byte[] payload, SigningKey key) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key.privateKey());
      s.update(payload);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign with key " + key.keyId() + ": " + e.getMessage(), e);
    }
  }
}
