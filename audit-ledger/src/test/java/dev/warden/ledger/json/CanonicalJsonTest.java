package dev.warden.ledger.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 8785 behaviour, with the RFC's own examples where it gives them. */
class CanonicalJsonTest {

  @Test
  void numbersUseTheEcmaScriptForm() {
    // RFC 8785 Appendix B and §3.2.2.3 examples.
    assertThat(CanonicalJson.es6(0.0)).isEqualTo("0");
    assertThat(CanonicalJson.es6(-0.0)).isEqualTo("0");
    assertThat(CanonicalJson.es6(1e21)).isEqualTo("1e+21");
    assertThat(CanonicalJson.es6(1e20)).isEqualTo("100000000000000000000");
    assertThat(CanonicalJson.es6(1e-7)).isEqualTo("1e-7");
    assertThat(CanonicalJson.es6(0.000001)).isEqualTo("0.000001");
    assertThat(CanonicalJson.es6(4.5)).isEqualTo("4.5");
    assertThat(CanonicalJson.es6(2e-3)).isEqualTo("0.002");
    assertThat(CanonicalJson.es6(333333333.33333329)).isEqualTo("333333333.3333333");
    assertThat(CanonicalJson.es6(1e30)).isEqualTo("1e+30");
    assertThat(CanonicalJson.es6(-1.5e-9)).isEqualTo("-1.5e-9");
    assertThat(CanonicalJson.es6(9007199254740992.0)).isEqualTo("9007199254740992");
    assertThat(CanonicalJson.es6(Double.MIN_VALUE)).isEqualTo("5e-324");
    assertThat(CanonicalJson.es6(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    assertThat(CanonicalJson.es6(123456789012345680000.0)).isEqualTo("123456789012345680000");
    assertThatThrownBy(() -> CanonicalJson.es6(Double.NaN)).hasMessageContaining("expected: finite");
  }

  @Test
  void integersOutsideTheDoubleRangeAreRefused() {
    assertThat(CanonicalJson.toString(CanonicalJson.MAX_SAFE_INTEGER)).isEqualTo("9007199254740991");
    assertThatThrownBy(() -> CanonicalJson.encode(CanonicalJson.MAX_SAFE_INTEGER + 1))
        .hasMessageContaining("9007199254740992 (expected: within +-9007199254740991");
  }

  @Test
  void stringsAreEscapedMinimally() {
    // RFC 8785 §3.2.2.2 example.
    // The RFC's input, written with JavaScript escapes there; the same characters here:
    String in = "€$\u000F\nA'B\"\\\\\"/";
    assertThat(CanonicalJson.toString(in)).isEqualTo("\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"");
    assertThat(CanonicalJson.toString("\u2028\u007f\uD83D\uDE00")).isEqualTo("\"\u2028\u007f\uD83D\uDE00\"");
    assertThatThrownBy(() -> CanonicalJson.encode("\uDE00")).hasMessageContaining("lone surrogate U+de00");
  }

  @Test
  void membersAreSortedByUtf16CodeUnits() {
    // RFC 8785 §3.2.3 example.
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("\u20ac", "Euro Sign");
    m.put("\r", "Carriage Return");
    m.put("\ufb33", "Hebrew Letter Dalet With Dagesh");
    m.put("1", "One");
    m.put("\uD83D\uDE00", "Emoji: Grinning Face");
    m.put("\u0080", "Control");
    m.put("\u00f6", "Latin Small Letter O With Diaeresis");
    String out = CanonicalJson.toString(m);
    assertThat(out).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
        + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
        + "\"\uD83D\uDE00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @Test
  void nestedValuesHaveNoWhitespace() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", List.of(1L, true, "x"));
    m.put("a", Map.of("z", 0.5));
    m.put("c", null);
    assertThat(CanonicalJson.toString(m)).isEqualTo("{\"a\":{\"z\":0.5},\"b\":[1,true,\"x\"],\"c\":null}");
  }

  @Test
  void parseThenEncodeRoundTripsCanonicalText() {
    String text = "{\"a\":[1,-2,0.5,1e+21,\"\\u001f\\n\u00e9\"],\"b\":{\"c\":null,\"d\":false}}";
    assertThat(CanonicalJson.toString(JsonParser.parse(text))).isEqualTo(text);
  }
}
