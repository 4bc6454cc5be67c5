package dev.warden.ledger.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
  @Test
  void formatsWithSixFractionDigitsAndParsesBackExactly() {
    assertThat(Rfc3339.format(Instant.parse("2026-01-31T12:00:00Z"))).isEqualTo("2026-01-31T12:00:00.000000Z");
    assertThat(Rfc3339.format(Instant.parse("1969-12-31T23:59:59.999999999Z"))).isEqualTo("1969-12-31T23:59:59.999999Z");
    Random r = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      Instant t = Instant.ofEpochSecond(r.nextLong(-50_000_000_000L, 200_000_000_000L), r.nextInt(1_000_000) * 1000L);
      String s = Rfc3339.format(t);
      assertThat(Rfc3339.parse(s)).isEqualTo(t);
      assertThat(Instant.parse(s)).isEqualTo(t);
    }
  }

  @Test
  void otherRfc3339FormsStillParseAndNonsenseIsRefused() {
    assertThat(Rfc3339.parse("2026-01-31T12:00:00Z")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
    assertThatThrownBy(() -> Rfc3339.parse("2026-02-30T12:00:00.000000Z")).hasMessageContaining("not a calendar date");
    assertThatThrownBy(() -> Rfc3339.parse("yesterday")).hasMessageContaining("expected: RFC 3339 UTC");
  }
}
