package dev.warden.ledger.checkpoint;

import java.util.Base64;

/** Minimal PEM: one block of one type; text outside the block (comments such as {@code key_id: …}) is ignored. */
final class Pem {
  private Pem() {}

  static String encode(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }

  /** The DER bytes of the {@code type} block in {@code text}, or of {@code text} itself if it is bare base64. */
  static byte[] decode(String text, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int b = text.indexOf(begin);
    String body;
    if (b < 0) {
      if (text.contains("-----BEGIN")) {
        throw new IllegalArgumentException("PEM block of another type (expected: " + type + ")");
      }
      body = text;
    } else {
      int e = text.indexOf(end, b);
      if (e < 0) {
        throw new IllegalArgumentException("PEM block " + type + " without its END line");
      }
      body = text.substring(b + begin.length(), e);
    }
    try {
      return Base64.getMimeDecoder().decode(body.strip());
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("PEM " + type + " body is not base64: " + ex.getMessage(), ex);
    }
  }
}
