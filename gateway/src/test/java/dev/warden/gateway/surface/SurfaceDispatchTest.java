package dev.warden.gateway.surface;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.PostMapping;

class SurfaceDispatchTest {
    @Test
    void theFastPathServesExactlyThePostMappingsOfTheEndpoints() throws Exception {
        Map<String, String> mapped = new HashMap<>();
        for (Method method : GatewayEndpoints.class.getDeclaredMethods()) {
            PostMapping post = method.getAnnotation(PostMapping.class);
            if (post != null) {
                for (String path : post.value()) {
                    mapped.put(path, method.getName());
                }
            }
        }
        assertThat(SurfaceDispatch.POST_PATHS.keySet()).containsExactlyInAnyOrderElementsOf(mapped.keySet());
        SurfaceDispatch.POST_PATHS.forEach((path, surface) -> assertThat(mapped.get(path))
                .as(path).isEqualTo(switch (surface) {
                    case CHAT_COMPLETIONS -> "chat";
                    case RESPONSES -> "responses";
                    case EMBEDDINGS -> "embeddings";
                    case ANTHROPIC_MESSAGES -> "messages";
                    case ANTHROPIC_COUNT_TOKENS -> "countTokens";
                    case MODELS -> "(no POST)";
                }));
    }
}
