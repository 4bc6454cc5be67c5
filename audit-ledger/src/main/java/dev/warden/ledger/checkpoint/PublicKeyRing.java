package dev.warden.ledger.checkpoint;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Ed25519 public keys a verifier trusts, by key id. Several keys at once is what makes rotation work: a ledger
 * signed by key A until Monday and by key B after verifies against a ring holding both.
 *
 * <p>Public key files are X.509 {@code PUBLIC KEY} PEM blocks. A line {@code key_id: <id>} before the block names the
 * key; without it the id is the key's fingerprint ({@link #keyIdOf}).
 */
public final class PublicKeyRing {
  static final String KEY_ID_LINE = "key_id:";

  private final Map<String, PublicKey> keys = new LinkedHashMap<>();

  public static PublicKeyRing empty() {
    return new PublicKeyRing();
  }

  public PublicKeyRing add(String keyId, PublicKey key) {
    requireNonNull(keyId, "keyId");
    requireNonNull(key, "key");
    PublicKey old = keys.get(keyId);
    if (old != null && !old.equals(key)) {
      throw new IllegalArgumentException("two different public keys share key id " + keyId);
    }
    keys.put(keyId, key);
    return this;
  }

  /** Adds the key in a PEM file; returns its key id. */
  public String addPemFile(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    PublicKey key;
    try {
      key = parsePublicKey(Pem.decode(text, "PUBLIC KEY"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    String id = declaredKeyId(text).orElseGet(() -> keyIdOf(key));
    add(id, key);
    return id;
  }

  /** Adds every {@code *.pub.pem} in {@code dir} (a ledger's {@code keys/} folder); a missing folder adds nothing. */
  public PublicKeyRing addPemDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return this;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pub.pem")) {
      for (Path f : files) {
        addPemFile(f);
      }
    }
    return this;
  }

  public Optional<PublicKey> get(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  public Set<String> keyIds() {
    return Collections.unmodifiableSet(new TreeSet<>(keys.keySet()));
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** {@code ed25519-} and the first 16 hex digits of the SHA-256 of the key's X.509 encoding. */
  public static String keyIdOf(PublicKey key) {
    return "ed25519-" + Hex.encode(Sha256.hash(key.getEncoded())).substring(0, 16);
  }

  /** The text of a public key file: a {@code key_id:} line, then the PEM block. */
  public static String toPem(String keyId, PublicKey key) {
    return KEY_ID_LINE + " " + keyId + "\n" + Pem.encode("PUBLIC KEY", key.getEncoded());
  }

  public static PublicKey parsePublicKey(byte[] x509) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 X.509 public key: " + e.getMessage(), e);
    }
  }

  private static Optional<String> declaredKeyId(String text) {
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.startsWith("-----BEGIN")) {
        break;
      }
      if (l.startsWith(KEY_ID_LINE)) {
        return Optional.of(l.substring(KEY_ID_LINE.length()).strip());
      }
    }
    return Optional.empty();
  }
}
