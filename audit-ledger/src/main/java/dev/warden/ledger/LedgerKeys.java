package dev.warden.ledger;

import dev.warden.ledger.checkpoint.PublicKeyRing;
import dev.warden.ledger.checkpoint.SigningKey;
import dev.warden.ledger.store.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The ledger-local key files under {@code <dir>/keys/}:
 *
 * <ul>
 *   <li>{@code digest.key}: the HMAC key for body digests and subject references (base64), made on first open
 *       unless given in the options;
 *   <li>{@code checkpoint-signing.pem}: the demo checkpoint key (PKCS#8), made on first open when no key is given;
 *   <li>{@code <key_id>.pub.pem}: each checkpoint public key the ledger has signed with, for the verifier;
 *   <li>{@code subjects/}: data keys per subject and UTC day, in day folders
 *       ({@link dev.warden.ledger.crypto.SubjectKeyStore}).
 * </ul>
 */
final class LedgerKeys {
  static final String DIGEST_KEY = "digest.key";
  static final String DEMO_SIGNING_KEY = "checkpoint-signing.pem";

  private LedgerKeys() {}

  static byte[] digestKey(Path keysDir, byte @Nullable [] given) throws IOException {
    if (given != null) {
      return given.clone();
    }
    Path f = keysDir.resolve(DIGEST_KEY);
    if (Files.exists(f)) {
      return Base64.getDecoder().decode(Files.readString(f, StandardCharsets.US_ASCII).strip());
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    DurableFiles.writeAtomically(f, Base64.getEncoder().encode(key), true);
    return key;
  }

  /**
   * The given key, or the demo key kept in {@code keys/} (made on first use). Either way the public key, when
   * known, is written beside it so that {@code verify --dir} works without further arguments.
   */
  static SigningKey signingKey(Path keysDir, @Nullable SigningKey given) throws IOException {
    SigningKey key = given != null ? given : demoKey(keysDir);
    PublicKey pub = key.publicKey();
    if (pub != null) {
      Path pubFile = keysDir.resolve(key.keyId() + ".pub.pem");
      String pem = PublicKeyRing.toPem(key.keyId(), pub);
      if (!Files.exists(pubFile) || !Files.readString(pubFile, StandardCharsets.US_ASCII).equals(pem)) {
        DurableFiles.writeAtomically(pubFile, pem.getBytes(StandardCharsets.US_ASCII), false);
      }
    }
    return key;
  }

  private static SigningKey demoKey(Path keysDir) throws IOException {
    Path f = keysDir.resolve(DEMO_SIGNING_KEY);
    if (Files.exists(f)) {
      String text = Files.readString(f, StandardCharsets.US_ASCII);
      String keyId = text.lines().filter(l -> l.startsWith("key_id:")).map(l -> l.substring(7).strip())
          .findFirst().orElseThrow(() -> new IOException(f + " lacks its key_id: line"));
      Path pubFile = keysDir.resolve(keyId + ".pub.pem");
      PublicKeyRing ring = PublicKeyRing.empty();
      PublicKey pub = null;
      if (Files.exists(pubFile)) {
        ring.addPemFile(pubFile);
        pub = ring.get(keyId).orElse(null);
      }
      return SigningKey.fromPkcs8(keyId, text.substring(text.indexOf("-----BEGIN")), pub);
    }
    SigningKey key = SigningKey.generate();
    String pem = "key_id: " + key.keyId() + "\n-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.privateKey().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    DurableFiles.writeAtomically(f, pem.getBytes(StandardCharsets.US_ASCII), true);
    return key;
  }
}
