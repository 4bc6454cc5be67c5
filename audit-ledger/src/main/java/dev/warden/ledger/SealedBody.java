package dev.warden.ledger;

import static java.util.Objects.requireNonNull;

import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A request or response body encrypted under its data subject's key (AES-256-GCM), as stored in an entry's
 * {@code request_body} / {@code response_body} member. Made by {@link Ledger#seal}; read by {@link Ledger#unseal},
 * which finds nothing once the subject was erased.
 *
 * @param subject the pseudonymous subject reference ({@code subj-…}), never the subject id itself
 * @param iv the 12-byte GCM nonce
 * @param ciphertext ciphertext followed by the 16-byte tag
 */
public record SealedBody(String subject, byte[] iv, byte[] ciphertext) {
  public static final String ALGORITHM = "A256GCM";

  public SealedBody {
    requireNonNull(subject, "subject");
    requireNonNull(iv, "iv");
    requireNonNull(ciphertext, "ciphertext");
    if (iv.length != 12) {
      throw new IllegalArgumentException("iv of " + iv.length + " bytes (expected: 12)");
    }
  }

  /** The JSON member value: {@code {"alg":"A256GCM","ct":…,"iv":…,"subject":…}} with base64url parts. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("alg", ALGORITHM);
    m.put("ct", Base64.getUrlEncoder().withoutPadding().encodeToString(ciphertext));
    m.put("iv", Base64.getUrlEncoder().withoutPadding().encodeToString(iv));
    m.put("subject", subject);
    return m;
  }

  /** Reads the JSON member written by {@link #toJson()}. */
  public static SealedBody fromJson(Map<?, ?> json) {
    Object alg = json.get("alg");
    if (!ALGORITHM.equals(alg)) {
      throw new IllegalArgumentException("sealed body alg " + alg + " (expected: " + ALGORITHM + ")");
    }
    return new SealedBody(
        string(json, "subject"),
        Base64.getUrlDecoder().decode(string(json, "iv")),
        Base64.getUrlDecoder().decode(string(json, "ct")));
  }

  private static String string(Map<?, ?> json, String key) {
    @Nullable Object v = json.get(key);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("sealed body member " + key + " = " + v + " (expected: a string)");
    }
    return s;
  }
}
