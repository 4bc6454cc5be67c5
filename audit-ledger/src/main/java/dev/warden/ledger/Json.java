package dev.warden.ledger;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Typed reads of parsed JSON members, failing with the member name, the value found and what was expected. */
final class Json {
  private Json() {}

  static @Nullable String optString(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(key + " " + v + " (expected: a string)");
    }
    return s;
  }

  static String string(Map<?, ?> m, String key) {
    String s = optString(m, key);
    if (s == null) {
      throw new IllegalArgumentException("member " + key + " is missing (expected: a string)");
    }
    return s;
  }

  static long optLong(Map<?, ?> m, String key, long absent) {
    Long v = optLong(m, key);
    return v == null ? absent : v;
  }

  static @Nullable Long optLong(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Long l)) {
      throw new IllegalArgumentException(key + " " + v + " (expected: an integer)");
    }
    return l;
  }

  static @Nullable Map<?, ?> optObject(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Map<?, ?> o)) {
      throw new IllegalArgumentException(key + " " + v + " (expected: an object)");
    }
    return o;
  }
}
