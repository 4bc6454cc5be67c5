package dev.warden.ledger.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed digests of request and response bodies, and pseudonymous references to data subjects.
 *
 * <p>Why HMAC and not a bare SHA-256: a prompt such as "my email is alice@example.com" or a subject id is
 * low-entropy; anyone holding a bare hash could guess it back by hashing candidates. With a ledger-local secret key
 * only the key holder can test a guess, while equal bodies still get equal digests (so a body produced later can be
 * matched against the ledger).
 */
public final class BodyDigester {
  public static final String PREFIX = "hmac-sha256:";
  private static final byte[] SUBJECT_LABEL = "warden.ledger.subject\0".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec keySpec;
  private final Mac prototype;

  public BodyDigester(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("digest key of " + key.length + " bytes (expected: at least 32)");
    }
    try {
      keySpec = new SecretKeySpec(key, "HmacSHA256");
      prototype = Mac.getInstance("HmacSHA256");
      prototype.init(keySpec);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java SE specification", e);
    }
  }

  /** {@code hmac-sha256:<64 hex>} of {@code body}. Thread-safe. */
  public String digest(byte[] body) {
    return PREFIX + Hex.encode(mac().doFinal(body));
  }

  /**
   * The pseudonymous reference written into entries for a data subject (user id, email): an HMAC under a separate
   * label, so a subject reference never equals a body digest.
   */
  public String subjectRef(String subject) {
    Mac mac = mac();
    mac.update(SUBJECT_LABEL);
    return "subj-" + Hex.encode(mac.doFinal(subject.getBytes(StandardCharsets.UTF_8))).substring(0, 40);
  }

  private Mac mac() {
    try {
      // Mac is not thread-safe; a clone of an initialised prototype is cheaper than getInstance + init.
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(keySpec);
        return mac;
      } catch (GeneralSecurityException e2) {
        throw new IllegalStateException("HmacSHA256 is required by the Java SE specification", e2);
      }
    }
  }
}
