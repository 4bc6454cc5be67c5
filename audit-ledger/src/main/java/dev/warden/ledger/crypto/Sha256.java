package dev.warden.ledger.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, which every Java SE implementation must provide. */
public final class Sha256 {
  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java SE specification", e);
    }
  }

  public static byte[] hash(byte[] data) {
    return newDigest().digest(data);
  }

  public static byte[] hash(byte[] data, int off, int len) {
    MessageDigest md = newDigest();
    md.update(data, off, len);
    return md.digest();
  }
}
