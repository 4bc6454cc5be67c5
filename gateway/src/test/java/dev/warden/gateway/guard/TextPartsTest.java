package dev.warden.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.pipeline.Surface;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TextPartsTest {

    /** One answer with text in every place any surface keeps it. */
    private static final JsonNode EVERY_SHAPE = JsonMapper.builder().build().readTree("""
            {"choices":[{"message":{"role":"assistant","content":"mail bob@example.com"}}],
             "output":[{"type":"message","content":[{"type":"output_text","text":"mail bob@example.com"}]}],
             "content":[{"type":"text","text":"mail bob@example.com"}],
             "data":[{"object":"embedding","embedding":[0.1,0.2]}]}""");

    @Test
    void surfacesSaidToCarryNoAnswerTextYieldNoParts() {
        // GuardOutputStage skips parsing answers of these surfaces: that must never skip text ofAnswer would find.
        for (Surface surface : Surface.values()) {
            boolean found = !TextParts.ofAnswer(surface, EVERY_SHAPE).isEmpty();
            assertThat(TextParts.answerHasText(surface)).as(surface.name()).isEqualTo(found);
        }
    }

    @Test
    void oddShapesWhereArraysBelongYieldWhatTextThereIsAndNeverThrow() {
        // A provider's answer is not checked like a caller's request; an object where an array belongs has a size too.
        JsonMapper json = JsonMapper.builder().build();
        String[] odd = {
            "{\"messages\":[{\"role\":\"assistant\",\"tool_calls\":{\"type\":null}},7,{\"content\":\"mail a@b.example\"}]}",
            "{\"messages\":{\"a\":{\"content\":\"x\"}},\"input\":{\"x\":1},\"system\":{\"t\":2}}",
            "{\"input\":[null,7,{\"type\":\"function_call\",\"arguments\":{}}],\"messages\":[{\"content\":{\"0\":1}}]}",
            "{\"choices\":{\"0\":{}},\"output\":{\"k\":[]},\"content\":{\"z\":null}}",
            "{\"choices\":[7,{\"message\":{\"tool_calls\":{\"f\":1}}}],\"output\":[3,{\"content\":{\"q\":1}}],\"content\":[5]}"};
        for (Surface surface : Surface.values()) {
            for (String body : odd) {
                var node = (tools.jackson.databind.node.ObjectNode) json.readTree(body);
                TextParts.ofRequest(surface, node);
                TextParts.ofAnswer(surface, node);
            }
        }
        var mixed = (tools.jackson.databind.node.ObjectNode) json.readTree(odd[0]);
        assertThat(TextParts.ofRequest(Surface.CHAT_COMPLETIONS, mixed)).singleElement()
                .satisfies(part -> assertThat(part.text()).isEqualTo("mail a@b.example"));
    }
}
