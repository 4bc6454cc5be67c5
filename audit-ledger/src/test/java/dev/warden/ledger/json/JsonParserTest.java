package dev.warden.ledger.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonParserTest {

  @Test
  void parsesAllValueKinds() {
    Object v = JsonParser.parse(" {\"s\":\"a\\u00e9\\ud83d\\ude00\",\"n\":-12,\"d\":1.5e3,\"t\":true,\"z\":null,\"l\":[]} ");
    assertThat(v).isInstanceOf(Map.class);
    Map<?, ?> m = (Map<?, ?>) v;
    assertThat(m.get("s")).isEqualTo("aé\uD83D\uDE00");
    assertThat(m.get("n")).isEqualTo(-12L);
    assertThat(m.get("d")).isEqualTo(1500.0);
    assertThat(m.get("t")).isEqualTo(true);
    assertThat(m.containsKey("z")).isTrue();
    assertThat(m.get("l")).isEqualTo(List.of());
  }

  @Test
  void rejectsDuplicateMembersSoNoReaderSeesADifferentEntry() {
    assertThatThrownBy(() -> JsonParser.parse("{\"seq\":1,\"seq\":2}"))
        .hasMessageContaining("duplicate member name \"seq\"");
  }

  @Test
  void rejectsMalformedInput() {
    for (String bad : new String[] {"", "{", "{\"a\":}", "[1,]", "01", "1.", "-", "\"\u0001\"", "{\"a\":1}x",
        "tru", "\"\\x\"", "[1 2]", "{\"a\" 1}"}) {
      assertThatThrownBy(() -> JsonParser.parse(bad)).as(bad).isInstanceOf(JsonParser.JsonException.class);
    }
  }

  @Test
  void rejectsInvalidUtf8() {
    byte[][] bad = {
      {'"', (byte) 0xc3, '"'}, // truncated
      {'"', (byte) 0xc0, (byte) 0x80, '"'}, // overlong
      {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}, // surrogate
      {'"', (byte) 0xff, '"'},
    };
    for (byte[] b : bad) {
      assertThatThrownBy(() -> JsonParser.parse(b)).isInstanceOf(JsonParser.JsonException.class);
    }
  }
}
