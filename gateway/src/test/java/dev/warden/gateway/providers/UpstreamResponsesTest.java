package dev.warden.gateway.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class UpstreamResponsesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Reading one member must answer exactly what parsing the whole body into a tree and asking it would. */
    @Test
    void memberAgreesWithTheTreeOfTheWholeBody() {
        List<String> bodies = List.of(
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                        + "\"hi \\\"there\\\" \\u00e9\"}}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,"
                        + "\"total_tokens\":15,\"prompt_tokens_details\":{\"cached_tokens\":4}}}",
                "{\"usage\":{\"input_tokens\":1},\"output\":[{\"usage\":{\"input_tokens\":99}}]}",
                "{\"output\":[{\"usage\":{\"input_tokens\":99}}]}",
                "{\"usage\":null}",
                "{\"usage\":7}",
                "{\"usage\":{\"a\":1},\"usage\":{\"a\":2}}",
                "{}",
                "[{\"usage\":{\"a\":1}}]",
                "\"usage\"",
                "42",
                "  {\"usage\" : { \"total_tokens\" : 1e3 } }  \n");
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            JsonNode tree = JSON.readTree(bytes);
            assertThat(UpstreamResponses.member(bytes, "usage")).as(body).isEqualTo(tree.get("usage"));
        }
    }

    @Test
    void emptyBodyHasNoMember() {
        assertThat(UpstreamResponses.member(new byte[0], "usage")).isNull();
        assertThat(UpstreamResponses.member(" \n".getBytes(StandardCharsets.UTF_8), "usage")).isNull();
    }

    /** The parts that are skipped are still checked: a body that is not JSON fails, wherever it breaks. */
    @Test
    void malformedBodiesFailAsTheyWouldAsATree() {
        List<String> bodies = List.of(
                "{\"usage\":{\"total_tokens\":1}, \"choices\":[1,2,}",
                "{\"choices\":[\"unterminated],\"usage\":{}}",
                "{\"usage\":{\"total_tokens\":1}",
                "<html>502 Bad Gateway</html>",
                "{\"usage\":{}} trailing",
                "{\"usage\":{}}{\"usage\":{}}");
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> UpstreamResponses.member(bytes, "usage")).as(body)
                    .isInstanceOf(JacksonException.class);
        }
    }
}
