package dev.warden.ledger;

import java.util.Map;
import java.util.TreeMap;

/** Token counts of one call, as the provider reported them. */
public record Tokens(long input, long output, long cached, long reasoning) {
  public Tokens {
    if (input < 0 || output < 0 || cached < 0 || reasoning < 0) {
      throw new IllegalArgumentException(
          "tokens " + input + "/" + output + "/" + cached + "/" + reasoning + " (expected: all >= 0)");
    }
  }

  public static Tokens of(long input, long output) {
    return new Tokens(input, output, 0, 0);
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("cached", cached);
    m.put("input", input);
    m.put("output", output);
    m.put("reasoning", reasoning);
    return m;
  }

  static Tokens fromJson(Map<?, ?> m) {
    return new Tokens(Json.optLong(m, "input", 0), Json.optLong(m, "output", 0), Json.optLong(m, "cached", 0),
        Json.optLong(m, "reasoning", 0));
  }
}
