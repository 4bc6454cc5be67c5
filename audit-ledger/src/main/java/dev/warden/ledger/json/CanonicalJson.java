package dev.warden.ledger.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes JSON in the canonical form of RFC 8785 (JSON Canonicalization Scheme), straight to UTF-8 bytes.
 *
 * <p>Why our own: the ledger hashes the exact bytes of each line, so the bytes must be a pure function of the
 * value, and the verifier must run from a jar with no dependencies. The rules implemented here:
 * object members sorted by the UTF-16 code units of their names ({@link String#compareTo} is exactly that),
 * no insignificant whitespace, strings escaped minimally ({@code \"}, {@code \\}, {@code \b \f \n \r \t},
 * other controls as lower-case {@code \\u00xx}, everything else literal UTF-8), numbers in the ECMAScript
 * {@code Number.prototype.toString} form.
 *
 * <p>Accepted values: {@link Map} with {@link String} keys, {@link List}, {@link String}, {@link Boolean},
 * {@code null}, integral numbers within ±(2<sup>53</sup>−1) (larger ones would not survive an IEEE double, which
 * RFC 8785 assumes), finite {@link Double}/{@link Float}. Anything else is rejected with
 * {@link IllegalArgumentException}; money goes in strings.
 *
 * <p>Not thread-safe; reuse one instance per thread with {@link #reset()}.
 */
public final class CanonicalJson {

  /** 2^53 - 1: the largest integer an IEEE double holds exactly. */
  public static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private byte[] buf;
  private int len;

  public CanonicalJson() {
    this(512);
  }

  public CanonicalJson(int initialCapacity) {
    this.buf = new byte[Math.max(16, initialCapacity)];
  }

  /** The canonical UTF-8 bytes of {@code value}. */
  public static byte[] encode(@Nullable Object value) {
    return new CanonicalJson().value(value).toByteArray();
  }

  /** The canonical form of {@code value} as a string (for messages and tests). */
  public static String toString(@Nullable Object value) {
    return new String(encode(value), java.nio.charset.StandardCharsets.UTF_8);
  }

  public CanonicalJson reset() {
    len = 0;
    return this;
  }

  public int length() {
    return len;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /** The internal buffer; valid bytes are {@code [0, length())}. Saves a copy on the hot path. */
  public byte[] buffer() {
    return buf;
  }

  public CanonicalJson value(@Nullable Object value) {
    switch (value) {
      case null -> ascii("null");
      case String s -> string(s);
      case Boolean b -> ascii(b ? "true" : "false");
      case Long l -> number(l);
      case Integer i -> number(i.longValue());
      case Short s -> number(s.longValue());
      case Byte b -> number(b.longValue());
      case Double d -> number(d);
      case Float f -> number(f.doubleValue());
      case Map<?, ?> m -> object(m);
      case List<?> l -> array(l);
      case RawJson r -> raw(r.bytes());
      case BigDecimal d ->
          throw new IllegalArgumentException("BigDecimal " + d + " (expected: a string; JSON numbers are doubles)");
      default ->
          throw new IllegalArgumentException(
              "unsupported JSON value type " + value.getClass().getName()
                  + " (expected: Map, List, String, Boolean, null, long within 2^53, finite double)");
    }
    return this;
  }

  public CanonicalJson object(Map<?, ?> map) {
    List<String> keys = sortedKeys(map);
    put('{');
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        put(',');
      }
      String key = keys.get(i);
      string(key);
      put(':');
      value(map.get(key));
    }
    put('}');
    return this;
  }

  private static List<String> sortedKeys(Map<?, ?> map) {
    List<String> keys = new ArrayList<>(map.size());
    for (Object k : map.keySet()) {
      if (!(k instanceof String s)) {
        throw new IllegalArgumentException("object key " + k + " (expected: a String)");
      }
      keys.add(s);
    }
    // A naturally ordered SortedMap is already in UTF-16 code unit order; skip the sort.
    if (!(map instanceof SortedMap<?, ?> sm && sm.comparator() == null)) {
      Collections.sort(keys);
    }
    return keys;
  }

  public CanonicalJson array(List<?> list) {
    put('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        put(',');
      }
      value(list.get(i));
    }
    put(']');
    return this;
  }

  /** Appends bytes that are already canonical JSON (a value serialized earlier). */
  public CanonicalJson raw(byte[] bytes) {
    return raw(bytes, 0, bytes.length);
  }

  public CanonicalJson raw(byte[] bytes, int off, int n) {
    ensure(n);
    System.arraycopy(bytes, off, buf, len, n);
    len += n;
    return this;
  }

  /** Appends a single structural character such as {@code ,} or {@code :}. */
  public CanonicalJson put(char c) {
    ensure(1);
    buf[len++] = (byte) c;
    return this;
  }

  public CanonicalJson number(long v) {
    if (v > MAX_SAFE_INTEGER || v < -MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException(
          "integer " + v + " (expected: within +-" + MAX_SAFE_INTEGER + "; put larger values in a string)");
    }
    return ascii(Long.toString(v));
  }

  public CanonicalJson number(double d) {
    return ascii(es6(d));
  }

  /**
   * ECMAScript Number::toString for a finite double. JDK 19+ {@link Double#toString} already yields the shortest
   * decimal that round-trips (the same digits ECMAScript picks); only the layout differs.
   */
  static String es6(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("number " + d + " (expected: finite; RFC 8785 has no NaN or Infinity)");
    }
    if (d == 0) {
      return "0"; // also -0, as ECMAScript prints it
    }
    if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
      // Exact integers print as themselves; larger ones only to their shortest round-tripping digits (below).
      return Long.toString((long) d);
    }
    String sign = d < 0 ? "-" : "";
    BigDecimal dec = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = dec.unscaledValue().toString();
    int k = digits.length();
    int n = k - dec.scale(); // value = 0.digits * 10^n
    if (k == 2) {
      // Java prints at least two significant digits where one may do (4.9E-324); ECMAScript takes the fewest
      // digits that round-trip, the closest such if several.
      BigDecimal exact = new BigDecimal(Math.abs(d));
      BigDecimal best = null;
      for (int c = digits.charAt(0) - '0'; c <= digits.charAt(0) - '0' + 1; c++) {
        BigDecimal candidate = BigDecimal.valueOf(c).scaleByPowerOfTen(n - 1);
        if (Double.parseDouble(candidate.toString()) == Math.abs(d)
            && (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
          best = candidate;
        }
      }
      if (best != null) {
        BigDecimal b = best.stripTrailingZeros();
        digits = b.unscaledValue().toString();
        k = digits.length();
        n = k - b.scale();
      }
    }
    StringBuilder sb = new StringBuilder(sign);
    if (k <= n && n <= 21) {
      sb.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      int e = n - 1;
      sb.append(digits.charAt(0));
      if (k > 1) {
        sb.append('.').append(digits, 1, k);
      }
      sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
    return sb.toString();
  }

  public CanonicalJson string(String s) {
    ensure(s.length() + 2);
    buf[len++] = '"';
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        if (len == buf.length) {
          ensure(1);
        }
        buf[len++] = (byte) c;
      } else {
        i = escapeOrEncode(s, i, c);
      }
    }
    put('"');
    return this;
  }

  /** The slow path of {@link #string}: escapes and multi-byte UTF-8. Returns the index of the last char used. */
  private int escapeOrEncode(String s, int i, char c) {
    ensure(6);
    switch (c) {
      case '"' -> twoBytes('\\', '"');
      case '\\' -> twoBytes('\\', '\\');
      case '\b' -> twoBytes('\\', 'b');
      case '\f' -> twoBytes('\\', 'f');
      case '\n' -> twoBytes('\\', 'n');
      case '\r' -> twoBytes('\\', 'r');
      case '\t' -> twoBytes('\\', 't');
      default -> {
        if (c < 0x20) {
          buf[len++] = '\\';
          buf[len++] = 'u';
          buf[len++] = '0';
          buf[len++] = '0';
          buf[len++] = HEX[c >> 4];
          buf[len++] = HEX[c & 0xf];
        } else if (c < 0x800) {
          buf[len++] = (byte) (0xc0 | (c >> 6));
          buf[len++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isSurrogate(c)) {
          if (!Character.isHighSurrogate(c) || i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
            throw new IllegalArgumentException(
                "lone surrogate U+" + Integer.toHexString(c) + " at index " + i + " (expected: valid UTF-16)");
          }
          int cp = Character.toCodePoint(c, s.charAt(i + 1));
          buf[len++] = (byte) (0xf0 | (cp >> 18));
          buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
          buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
          buf[len++] = (byte) (0x80 | (cp & 0x3f));
          return i + 1;
        } else {
          buf[len++] = (byte) (0xe0 | (c >> 12));
          buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
          buf[len++] = (byte) (0x80 | (c & 0x3f));
        }
      }
    }
    return i;
  }

  private void twoBytes(char a, char b) {
    buf[len++] = (byte) a;
    buf[len++] = (byte) b;
  }

  private CanonicalJson ascii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  /** Throws if {@code s} holds a lone surrogate, which has no UTF-8 form. Call at API edges to fail early. */
  public static String requireValidUtf16(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            what + ": lone surrogate U+" + Integer.toHexString(c) + " at index " + i + " (expected: valid UTF-16)");
      }
    }
    return s;
  }

  /** Bytes already in canonical form, embedded verbatim (for example a member value serialized ahead of time). */
  public record RawJson(byte[] bytes) {}
}
