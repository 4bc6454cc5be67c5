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
}
