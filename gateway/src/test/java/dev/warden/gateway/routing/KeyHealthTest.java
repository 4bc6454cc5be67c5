package dev.warden.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.providers.ProviderEndpoint;
import dev.warden.gateway.providers.ProviderEndpoint.ProviderCredential;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyHealthTest {
    private final ProviderEndpoint endpoint = new ProviderEndpoint("p", "openai", null, Map.of(), List.of(
            new ProviderCredential("heavy", "x", 3), new ProviderCredential("light", "y", 1)), null, Map.of());

    @Test
    void choosesByWeight() {
        KeyHealth health = new KeyHealth();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 8000; i++) {
            counts.merge(health.choose(endpoint, List.of(), null).id(), 1, Integer::sum);
        }
        double share = counts.get("heavy") / 8000.0;
        assertThat(share).isBetween(0.70, 0.80);
    }

    @Test
    void skipsRestingAndTriedCredentials() {
        KeyHealth health = new KeyHealth();
        health.rest(endpoint, "heavy", Duration.ofMinutes(1));
        for (int i = 0; i < 100; i++) {
            assertThat(health.choose(endpoint, List.of(), null).id()).isEqualTo("light");
        }
        assertThat(health.choose(endpoint, List.of("light"), null)).isNull();
        health.clear();
        assertThat(health.choose(endpoint, List.of("light"), null).id()).isEqualTo("heavy");
    }

    @Test
    void aRestEnds() throws InterruptedException {
        KeyHealth health = new KeyHealth();
        health.rest(endpoint, "heavy", Duration.ofMillis(50));
        assertThat(health.isResting(endpoint, "heavy")).isTrue();
        Thread.sleep(80);
        assertThat(health.isResting(endpoint, "heavy")).isFalse();
    }

    @Test
    void aConversationStaysOnOneCredentialAndMovesOnlyWhenItRests() {
        KeyHealth health = new KeyHealth();
        String first = health.choose(endpoint, List.of(), "conversation-1").id();
        for (int i = 0; i < 50; i++) {
            assertThat(health.choose(endpoint, List.of(), "conversation-1").id()).isEqualTo(first);
        }
        health.rest(endpoint, first, Duration.ofMinutes(1));
        assertThat(health.choose(endpoint, List.of(), "conversation-1").id()).isNotEqualTo(first);
    }

    @Test
    void countsRestsPerCredentialAndKeepsTheCountWhenRestsAreCleared() {
        KeyHealth health = new KeyHealth();
        health.rest(endpoint, "heavy", Duration.ofMinutes(1));
        health.rest(endpoint, "heavy", Duration.ofSeconds(5));
        health.rest(endpoint, "light", Duration.ZERO); // no rest, so not counted

        assertThat(health.rests(endpoint, "heavy")).isEqualTo(2);
        assertThat(health.rests(endpoint, "light")).isZero();
        health.clear();
        assertThat(health.rests(endpoint, "heavy")).isEqualTo(2);
    }
}
