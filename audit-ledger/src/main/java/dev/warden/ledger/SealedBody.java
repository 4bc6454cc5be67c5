package dev.warden.ledger;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A request or response body encrypted under its data subject's key for one UTC day (AES-256-GCM), as stored in an
 * entry's {@code request_body} / {@code response_body} member. Made by {@link Ledger#seal}; read by
 * {@link Ledger#unseal}, which finds nothing once the subject was erased or the day's keys expired.
 *
 * <p>Two formats are read. Current bodies name the day whose key sealed them ({@code epoch}), and that day is
 * authenticated together with the subject reference, so a body cannot be moved to another subject or day
 * unnoticed. Bodies written before keys were kept per day have no {@code epoch}: they were sealed under the
 * subject's single key, and only the subject reference is authenticated.
 *
 * @param subject the pseudonymous subject reference ({@code subj-…}), never the subject id itself
 * @param iv the 12-byte GCM nonce
 * @param ciphertext ciphertext followed by the 16-byte tag
 * @param epoch the UTC day whose key sealed the body; {@code null} for a body in the format without days
 */
public record SealedBody(String subject, byte[] iv, byte[] ciphertext, @Nullable LocalDate epoch) {
  public static final String ALGORITHM = "A256GCM";

  public SealedBody {
    requireNonNull(subject, "subject");
    requireNonNull(iv, "iv");
    requireNonNull(ciphertext, "ciphertext");
    if (iv.length != 12) {
      throw new IllegalArgumentException("iv of " + iv.length + " bytes (expected: 12)");
    }
  }

  /**
   * The JSON member value: {@code {"alg":"A256GCM","ct":…,"epoch":"2026-11-25","iv":…,"subject":…}} with base64url
   * parts; {@code epoch} is left out for a body in the format without days.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("alg", ALGORITHM);
    m.put("ct", Base64.getUrlEncoder().withoutPadding().encodeToString(ciphertext));
    if (epoch != null) {
      m.put("epoch", epoch.toString());
    }
    m.put("iv", Base64.getUrlEncoder().withoutPadding().encodeToString(iv));
    m.put("subject", subject);
    return m;
  }

  /** Reads the JSON member written by {@link #toJson()}, with or without {@code epoch}. */
  public static SealedBody fromJson(Map<?, ?> json) {
    Object alg = json.get("alg");
    if (!ALGORITHM.equals(alg)) {
      throw new IllegalArgumentException("sealed body alg " + alg + " (expected: " + ALGORITHM + ")");
    }
    return new SealedBody(
        string(json, "subject"),
        Base64.getUrlDecoder().decode(string(json, "iv")),
        Base64.getUrlDecoder().decode(string(json, "ct")),
        json.containsKey("epoch") ? epoch(string(json, "epoch")) : null);
  }

  /** Parses a day as written by {@link #toJson()}, and only that spelling. */
  private static LocalDate epoch(String text) {
    try {
      LocalDate day = LocalDate.parse(text);
      if (day.toString().equals(text)) {
        return day;
      }
    } catch (DateTimeParseException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException("sealed body epoch \"" + text + "\" (expected: a UTC day, yyyy-mm-dd)");
  }

  private static String string(Map<?, ?> json, String key) {
    @Nullable Object v = json.get(key);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("sealed body member " + key + " = " + v + " (expected: a string)");
    }
    return s;
  }
}
