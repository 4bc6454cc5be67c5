package dev.warden.compliance;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.LedgerReader;
import dev.warden.ledger.checkpoint.PublicKeyRing;
import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.Sha256;
import dev.warden.ledger.json.CanonicalJson;
import dev.warden.ledger.json.JsonParser;
import dev.warden.ledger.verify.LedgerVerifier;
import dev.warden.ledger.verify.VerificationResult;
import dev.warden.ledger.verify.VerifyOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Checks a report file against its manifest offline: the manifest's Ed25519 signature under the given public key,
 * then the report's size and SHA-256 against the signed values. It does not re-verify the ledger; an auditor runs
 * the ledger verifier for that and compares the heads the manifest names.
 */
public final class ReportVerifier {
  private ReportVerifier() {}

  /** The outcome: {@link Valid} (or {@link LedgerHolds} for {@link #verifyLedger}) or {@link Invalid}. */
  public sealed interface Result {
    boolean ok();

    /** One line: {@code OK report <sha256> …} or {@code FAIL …}. */
    String summary();
  }

  /**
   * @param reportStatus the status the report itself declares; {@code FAIL} means the report is authentic but
   *     describes a ledger that did not verify
   */
  public record Valid(String sha256, String keyId, String period, String reportStatus) implements Result {
    @Override
    public boolean ok() {
      return true;
    }

    @Override
    public String summary() {
      return "OK report sha256 " + sha256 + " matches its manifest, signed by " + keyId + "; period " + period
          + "; report status " + reportStatus;
    }
  }

  /** The ledger verified and still holds the head the report was built from. */
  public record LedgerHolds(String chain, String detail) implements Result {
    @Override
    public boolean ok() {
      return true;
    }

    @Override
    public String summary() {
      return "OK chain " + chain + " " + detail;
    }
  }

  public record Invalid(String reason) implements Result {
    @Override
    public boolean ok() {
      return false;
    }

    @Override
    public String summary() {
      return "FAIL " + reason;
    }
  }

  public static Result verify(Path reportFile, Path manifestFile, PublicKey publicKey) throws IOException {
    requireNonNull(reportFile, "reportFile");
    requireNonNull(manifestFile, "manifestFile");
    requireNonNull(publicKey, "publicKey");
    byte[] manifestBytes = Files.readAllBytes(manifestFile);
    Map<String, @Nullable Object> m;
    try {
      m = JsonParser.parseObject(manifestBytes, 0, manifestBytes.length);
    } catch (IllegalArgumentException e) {
      return new Invalid("manifest " + manifestFile + " is not a JSON object: " + e.getMessage());
    }
    if (!ReportManifest.SCHEMA.equals(m.get("schema"))) {
      return new Invalid("manifest schema " + m.get("schema") + " (expected: " + ReportManifest.SCHEMA + ")");
    }
    if (!(m.get("sig") instanceof String sig)) {
      return new Invalid("manifest has no sig");
    }
    Map<String, @Nullable Object> payload = new TreeMap<>(m);
    payload.remove("sig");
    if (!signatureValid(CanonicalJson.encode(payload), sig, publicKey)) {
      return new Invalid("manifest signature does not verify under the given public key (manifest key_id "
          + m.get("key_id") + ")");
    }
    if (!(m.get("report") instanceof Map<?, ?> report)
        || !(report.get("sha256") instanceof String expectedSha)
        || !(report.get("size") instanceof Long expectedSize)) {
      return new Invalid("manifest lacks report.sha256 or report.size");
    }
    byte[] reportBytes = Files.readAllBytes(reportFile);
    String sha = Hex.encode(Sha256.hash(reportBytes));
    if (reportBytes.length != expectedSize || !sha.equals(expectedSha)) {
      return new Invalid("report " + reportFile + " has sha256 " + sha + " and " + reportBytes.length
          + " bytes (expected: sha256 " + expectedSha + ", " + expectedSize + " bytes): it was changed or is"
          + " another file");
    }
    String period = m.get("period") instanceof Map<?, ?> p ? p.get("from") + " .. " + p.get("to") : "?";
    return new Valid(sha, String.valueOf(m.get("key_id")), period, String.valueOf(m.get("status")));
  }

  /**
   * Checks that {@code ledgerDir} is a chain the manifest names, that it verifies under {@code publicKey}, and that
   * it still holds the head the report was built from (the entry at the manifest's {@code entries - 1} hashes to
   * its {@code head}). A ledger that has grown since passes; one that was rewritten, cut short or swapped does not.
   * Call {@link #verify} first: this trusts the manifest's content only once its signature is checked.
   */
  public static Result verifyLedger(Path manifestFile, Path ledgerDir, PublicKey publicKey) throws IOException {
    requireNonNull(manifestFile, "manifestFile");
    requireNonNull(ledgerDir, "ledgerDir");
    requireNonNull(publicKey, "publicKey");
    byte[] manifestBytes = Files.readAllBytes(manifestFile);
    Map<String, @Nullable Object> m;
    try {
      m = JsonParser.parseObject(manifestBytes, 0, manifestBytes.length);
    } catch (IllegalArgumentException e) {
      return new Invalid("manifest " + manifestFile + " is not a JSON object: " + e.getMessage());
    }
    PublicKeyRing ring = PublicKeyRing.empty().add(String.valueOf(m.get("key_id")), publicKey);
    VerificationResult v = LedgerVerifier.verify(ledgerDir, VerifyOptions.withKeys(ring));
    if (!v.ok()) {
      return new Invalid("ledger " + ledgerDir + ": " + v.summary());
    }
    if (!(m.get("ledgers") instanceof List<?> ledgers)) {
      return new Invalid("manifest lacks ledgers");
    }
    for (Object o : ledgers) {
      if (o instanceof Map<?, ?> l && v.chain().equals(l.get("chain"))) {
        if (!(l.get("entries") instanceof Long entries) || entries == 0) {
          return new LedgerHolds(v.chain(), "verified (" + v.summary() + "); it was empty when reported");
        }
        @Nullable String[] found = {null};
        LedgerReader.forEach(ledgerDir, e -> {
          if (e.seq() == entries - 1) {
            found[0] = e.hash();
          }
        });
        if (!String.valueOf(l.get("head")).equals(found[0])) {
          return new Invalid("ledger " + ledgerDir + " chain " + v.chain() + ": entry " + (entries - 1) + " hashes to "
              + found[0] + " (expected: " + l.get("head") + ", the head the report was built from)");
        }
        return new LedgerHolds(v.chain(), "verified (" + v.summary() + ") and holds the reported head "
            + l.get("head") + " at entry " + (entries - 1));
      }
    }
    return new Invalid("ledger " + ledgerDir + " holds chain " + v.chain() + ", which the manifest does not name");
  }

  private static boolean signatureValid(byte[] payload, String sig, PublicKey key) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(payload);
      return s.verify(Base64.getUrlDecoder().decode(sig));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false; // a signature that does not even decode is as bad as a wrong one
    }
  }
}
