package dev.warden.ledger.checkpoint;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The Ed25519 key that signs checkpoints, with the id written into each checkpoint so keys can rotate: verifiers
 * hold several public keys and pick one by id.
 *
 * @param publicKey known when the key was generated here or given alongside; the ledger then writes it to
 *     {@code keys/<key_id>.pub.pem}. The JDK cannot derive an Ed25519 public key from the private one.
 */
public record SigningKey(String keyId, PrivateKey privateKey, @Nullable PublicKey publicKey) {

  public SigningKey {
    requireNonNull(keyId, "keyId");
    requireNonNull(privateKey, "privateKey");
    if (keyId.isBlank() || !keyId.matches("[A-Za-z0-9._:-]{1,64}")) {
      throw new IllegalArgumentException("keyId \"" + keyId + "\" (expected: 1..64 of A-Z a-z 0-9 . _ : -)");
    }
    if (!"EdDSA".equals(privateKey.getAlgorithm()) && !"Ed25519".equals(privateKey.getAlgorithm())) {
      throw new IllegalArgumentException("signing key algorithm " + privateKey.getAlgorithm() + " (expected: Ed25519)");
    }
  }

  /** A new random key pair; its id is derived from the public key ({@link PublicKeyRing#keyIdOf}). */
  public static SigningKey generate() {
    try {
      KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new SigningKey(PublicKeyRing.keyIdOf(kp.getPublic()), kp.getPrivate(), kp.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is built into JDK 15 and later", e);
    }
  }

  /** A key from PKCS#8 DER bytes, as a secret store would hand it over. */
  public static SigningKey fromPkcs8(String keyId, byte[] pkcs8, @Nullable PublicKey publicKey) {
    try {
      PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      return new SigningKey(keyId, key, publicKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("signing key " + keyId + " is not an Ed25519 PKCS#8 key: " + e.getMessage(), e);
    }
  }

  /** A key from base64 PKCS#8, or from a PEM {@code PRIVATE KEY} block. */
  public static SigningKey fromPkcs8(String keyId, String base64OrPem, @Nullable PublicKey publicKey) {
    return fromPkcs8(keyId, Pem.decode(base64OrPem, "PRIVATE KEY"), publicKey);
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId + ", ****]"; // never the key material, not even in a log line
  }
}
