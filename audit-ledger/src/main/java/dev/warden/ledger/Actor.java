package dev.warden.ledger;

import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Who acted: the virtual key, user, team and customer as far as they are known. Ids only; never a secret (the
 * virtual key's id, not the key).
 */
public record Actor(@Nullable String keyId, @Nullable String user, @Nullable String team, @Nullable String customer) {

  public static Actor ofKey(String keyId, @Nullable String team) {
    return new Actor(keyId, null, team, null);
  }

  public static Actor ofUser(String user) {
    return new Actor(null, user, null, null);
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new TreeMap<>();
    putIfPresent(m, "key_id", keyId);
    putIfPresent(m, "user", user);
    putIfPresent(m, "team", team);
    putIfPresent(m, "customer", customer);
    return m;
  }

  static Actor fromJson(Map<?, ?> m) {
    return new Actor(Json.optString(m, "key_id"), Json.optString(m, "user"), Json.optString(m, "team"),
        Json.optString(m, "customer"));
  }

  private static void putIfPresent(Map<String, Object> m, String key, @Nullable String value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
