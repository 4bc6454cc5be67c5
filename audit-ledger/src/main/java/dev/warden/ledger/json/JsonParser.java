package dev.warden.ledger.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small strict JSON parser (RFC 8259) for reading ledger lines back.
 *
 * <p>Objects become {@link LinkedHashMap} (member order kept), arrays {@link ArrayList}, integers without
 * fraction or exponent that fit a {@code long} become {@link Long}, other numbers {@link Double}, {@code null}
 * becomes {@code null}. Duplicate member names are rejected: RFC 8785 forbids them, and a second {@code "seq"}
 * would let a tampered line mean different things to different readers. Invalid UTF-8 is rejected too.
 */
public final class JsonParser {

  private final byte[] in;
  private final int end;
  private int pos;

  private JsonParser(byte[] in, int off, int len) {
    this.in = in;
    this.pos = off;
    this.end = off + len;
  }

  public static @Nullable Object parse(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return parse(b, 0, b.length);
  }

  public static @Nullable Object parse(byte[] json) {
    return parse(json, 0, json.length);
  }

  /** Parses exactly one JSON value filling {@code [off, off+len)}, surrounding whitespace allowed. */
  public static @Nullable Object parse(byte[] json, int off, int len) {
    JsonParser p = new JsonParser(json, off, len);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.pos != p.end) {
      throw p.error("trailing data after the JSON value");
    }
    return v;
  }

  /** Parses an object; fails if the text is another kind of value. */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> parseObject(byte[] json, int off, int len) {
    Object v = parse(json, off, len);
    if (!(v instanceof Map<?, ?> m)) {
      throw new JsonException("expected a JSON object, found " + kind(v), 0);
    }
    return (Map<String, @Nullable Object>) m;
  }

  private static String kind(@Nullable Object v) {
    return v == null ? "null" : v instanceof List<?> ? "an array" : v.getClass().getSimpleName();
  }

  private static final int MAX_DEPTH = 64;

  private @Nullable Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
    if (pos >= end) {
      throw error("unexpected end of input");
    }
    byte c = in[pos];
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + (char) (c & 0xff) + "'");
      }
    };
  }

  private Map<String, @Nullable Object> object(int depth) {
    pos++; // '{'
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    skipWs();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWs();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      int keyAt = pos;
      String key = string();
      skipWs();
      expect(':');
      skipWs();
      Object v = value(depth + 1);
      if (map.containsKey(key)) {
        pos = keyAt;
        throw error("duplicate member name \"" + key + "\"");
      }
      map.put(key, v);
      skipWs();
      byte c = next();
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<@Nullable Object> array(int depth) {
    pos++; // '['
    List<@Nullable Object> list = new ArrayList<>();
    skipWs();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipWs();
      list.add(value(depth + 1));
      skipWs();
      byte c = next();
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    pos++; // opening quote
    int start = pos;
    // Fast path: plain ASCII without escapes, by far the common case in ledger lines.
    while (pos < end) {
      byte c = in[pos];
      if (c == '"') {
        String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
        pos++;
        return s;
      }
      if (c == '\\' || c < 0x20) { // negative bytes (non-ASCII) are < 0x20 too: slow path
        break;
      }
      pos++;
    }
    StringBuilder sb = new StringBuilder(pos - start + 16);
    sb.append(new String(in, start, pos - start, StandardCharsets.ISO_8859_1));
    while (true) {
      if (pos >= end) {
        throw error("unterminated string");
      }
      int c = in[pos] & 0xff;
      if (c == '"') {
        pos++;
        return sb.toString();
      } else if (c == '\\') {
        pos++;
        escape(sb);
      } else if (c < 0x20) {
        throw error("unescaped control character 0x" + Integer.toHexString(c) + " in string");
      } else if (c < 0x80) {
        sb.append((char) c);
        pos++;
      } else {
        utf8(sb, c);
      }
    }
  }

  private void escape(StringBuilder sb) {
    byte e = next();
    switch (e) {
      case '"' -> sb.append('"');
      case '\\' -> sb.append('\\');
      case '/' -> sb.append('/');
      case 'b' -> sb.append('\b');
      case 'f' -> sb.append('\f');
      case 'n' -> sb.append('\n');
      case 'r' -> sb.append('\r');
      case 't' -> sb.append('\t');
      case 'u' -> {
        if (pos + 4 > end) {
          throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
          int d = Character.digit(in[pos++], 16);
          if (d < 0) {
            pos--;
            throw error("bad hex digit in \\u escape");
          }
          v = (v << 4) | d;
        }
        sb.append((char) v);
      }
      default -> {
        pos--;
        throw error("bad escape '\\" + (char) (e & 0xff) + "'");
      }
    }
  }

  /** Decodes one UTF-8 sequence strictly (no overlongs, no surrogates, nothing above U+10FFFF). */
  private void utf8(StringBuilder sb, int b0) {
    int need;
    int cp;
    int min;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      min = 0x10000;
    } else {
      throw error("invalid UTF-8 lead byte 0x" + Integer.toHexString(b0));
    }
    if (pos + need >= end) {
      throw error("truncated UTF-8 sequence");
    }
    for (int i = 1; i <= need; i++) {
      int b = in[pos + i] & 0xff;
      if ((b & 0xc0) != 0x80) {
        throw error("invalid UTF-8 continuation byte 0x" + Integer.toHexString(b));
      }
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw error("invalid UTF-8 code point U+" + Integer.toHexString(cp));
    }
    sb.appendCodePoint(cp);
    pos += need + 1;
  }

  private Object number() {
    int start = pos;
    boolean integral = true;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw error("leading zero in number");
      }
    } else if (isDigit(peek())) {
      while (isDigit(peek())) {
        pos++;
      }
    } else {
      throw error("expected a digit");
    }
    if (peek() == '.') {
      integral = false;
      pos++;
      if (!isDigit(peek())) {
        throw error("expected a digit after '.'");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("expected a digit in exponent");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }
    String text = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
    if (integral && pos - start <= 18) {
      return Long.parseLong(text);
    }
    return Double.parseDouble(text);
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private @Nullable Object literal(String word, @Nullable Object value) {
    int n = word.length();
    if (pos + n > end) {
      throw error("unexpected end of input");
    }
    for (int i = 0; i < n; i++) {
      if (in[pos + i] != word.charAt(i)) {
        throw error("unexpected character '" + (char) (in[pos + i] & 0xff) + "'");
      }
    }
    pos += n;
    return value;
  }

  private void skipWs() {
    while (pos < end) {
      byte c = in[pos];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        return;
      }
    }
  }

  private int peek() {
    return pos < end ? in[pos] : -1;
  }

  private byte next() {
    if (pos >= end) {
      throw error("unexpected end of input");
    }
    return in[pos++];
  }

  private void expect(char c) {
    if (pos >= end || in[pos] != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private JsonException error(String message) {
    return new JsonException(message, pos);
  }

  /** Malformed JSON; {@link #offset()} is the byte offset within the parsed range where reading stopped. */
  public static final class JsonException extends IllegalArgumentException {
    private final int offset;

    JsonException(String message, int offset) {
      super(message + " at byte " + offset);
      this.offset = offset;
    }

    public int offset() {
      return offset;
    }
  }
}
