package dev.warden.guardrails.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void roundTripsVendorShapedDocuments() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("text", "line\n\"quoted\" \\ tab\t é 日本 \u0001");
        doc.put("categories", List.of("Hate", "Violence"));
        doc.put("severity", 4L);
        doc.put("score", 0.25);
        doc.put("ok", true);
        doc.put("none", null);
        assertThat(Json.parse(Json.write(doc))).isEqualTo(doc);
    }

    @Test
    void parsesEscapesAndNumbers() {
        assertThat(Json.parse("{\"a\":\"\\u00e9\\n\",\"b\":[1,-2.5e2,true,null]}"))
                .isEqualTo(mapOf("a", "é\n", "b", java.util.Arrays.asList(1L, -250.0, true, null)));
    }

    @Test
    void errorsNameTheOffsetNotTheDocument() {
        assertThatThrownBy(() -> Json.parse("{\"secret\": tru}"))
                .hasMessage("JSON: bad literal at offset 11 of 15").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> Json.parseObject("[1]"))
                .hasMessage("JSON: an array at the top level (expected: an object)");
    }

    private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
