package dev.warden.compliance;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.checkpoint.PublicKeyRing;
import dev.warden.ledger.checkpoint.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the key that signs a report manifest comes from. The manifest is signed with the ledger's own checkpoint key,
 * so one public key lets an auditor check both the ledger and the reports made from it.
 */
public final class ReportSigningKeys {
  /** The demo key a ledger makes in {@code keys/} when none is configured (see the audit-ledger README). */
  public static final String DEMO_KEY_FILE = "checkpoint-signing.pem";

  private ReportSigningKeys() {}

  /**
   * A PKCS#8 Ed25519 key from a file holding a PEM {@code PRIVATE KEY} block or bare base64. {@code keyId} may be
   * null when the file names it on a {@code key_id: <id>} line above the block (the ledger's own format).
   */
  public static SigningKey fromFile(Path file, @Nullable String keyId) throws IOException {
    requireNonNull(file, "file");
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String id = keyId != null ? keyId : declaredKeyId(text).orElseThrow(() -> new IllegalArgumentException(
        "signing key file " + file + " names no key id (expected: --key-id ID, or a \"key_id: ID\" line)"));
    int begin = text.indexOf("-----BEGIN");
    return SigningKey.fromPkcs8(id, begin < 0 ? text.strip() : text.substring(begin), null);
  }

  /**
   * The demo signing key of a ledger directory ({@code keys/checkpoint-signing.pem}), with its public key when
   * {@code keys/<key_id>.pub.pem} is there; empty when the ledger was configured with its own key.
   */
  public static Optional<SigningKey> demoKey(Path ledgerDir) throws IOException {
    Path keys = ledgerDir.resolve("keys");
    Path f = keys.resolve(DEMO_KEY_FILE);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    SigningKey key = fromFile(f, null);
    Path pub = keys.resolve(key.keyId() + ".pub.pem");
    PublicKey publicKey = null;
    if (Files.exists(pub)) {
      PublicKeyRing ring = PublicKeyRing.empty();
      publicKey = ring.get(ring.addPemFile(pub)).orElse(null);
    }
    return Optional.of(new SigningKey(key.keyId(), key.privateKey(), publicKey));
  }

  /** The Ed25519 public key in a PEM file as the ledger writes them ({@code key_id:} line optional). */
  public static PublicKey publicKey(Path pemFile) throws IOException {
    PublicKeyRing ring = PublicKeyRing.empty();
    return ring.get(ring.addPemFile(pemFile)).orElseThrow();
  }

  private static Optional<String> declaredKeyId(String text) {
    return text.lines().map(String::strip).takeWhile(l -> !l.startsWith("-----BEGIN"))
        .filter(l -> l.startsWith("key_id:")).map(l -> l.substring("key_id:".length()).strip()).findFirst();
  }
}
