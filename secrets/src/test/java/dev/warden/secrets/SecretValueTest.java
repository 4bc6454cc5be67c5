package dev.warden.secrets;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretValueTest {

    @Test
    void neverPrintsItself() {
        SecretValue value = SecretValue.of("sk-live-123");
        assertThat(value).hasToString("****");
        assertThat(String.valueOf(value)).isEqualTo("****");
        assertThat("key=" + value).isEqualTo("key=****");
        record Holder(String name, SecretValue key) {
        }
        assertThat(new Holder("openai", value).toString()).isEqualTo("Holder[name=openai, key=****]");
    }

    record ProviderConfig(String name, SecretValue apiKey) {
    }

    @Test
    void jacksonLeavesItOutOfEveryDto() throws Exception {
        ProviderConfig config = new ProviderConfig("openai", SecretValue.of("sk-live-123"));
        assertThat(tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(config))
                .isEqualTo("{\"name\":\"openai\"}");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(config))
                .isEqualTo("{\"name\":\"openai\"}");
    }

    @Test
    void jacksonWritesNothingOfItWhenAskedDirectly() {
        SecretValue value = SecretValue.of("sk-live-123");
        String json;
        try {
            json = tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(value);
        } catch (RuntimeException refused) {
            json = String.valueOf(refused.getMessage());
        }
        assertThat(json).doesNotContain("sk-live-123");
    }

    @Test
    void revealsOnRequestAndWipesOnClose() {
        SecretValue value = SecretValue.of("sk-live-123".toCharArray());
        assertThat(value.reveal()).isEqualTo("sk-live-123");
        assertThat(new String(value.revealChars())).isEqualTo("sk-live-123");
        assertThat(new String(value.revealUtf8(), StandardCharsets.UTF_8)).isEqualTo("sk-live-123");
        value.close();
        assertThat(value.isClosed()).isTrue();
        assertThatThrownBy(value::reveal).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(value::revealChars).isInstanceOf(IllegalStateException.class);
        value.close(); // idempotent
    }

    @Test
    void aRevealRacingACloseSeesTheWholeValueOrFailsNeverAHalfWipedOne() throws Exception {
        String secret = "sk-" + "x".repeat(4096);
        for (int round = 0; round < 50; round++) {
            SecretValue value = SecretValue.of(secret);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.List<Thread> readers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                readers.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        while (true) {
                            char[] seen = value.revealChars();
                            if (!new String(seen).equals(secret)) {
                                wrong.add("a reveal of " + seen.length + " chars that was not the value");
                            }
                        }
                    } catch (IllegalStateException closed) {
                        // closed: the only other outcome
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            go.countDown();
            Thread.sleep(1);
            value.close();
            for (Thread reader : readers) {
                reader.join(5_000);
            }
            assertThat(wrong).isEmpty();
            assertThat(value.isClosed()).isTrue();
        }
    }

    @Test
    void copiesAreIndependent() {
        char[] source = "abc".toCharArray();
        SecretValue value = SecretValue.of(source);
        source[0] = 'X';
        SecretValue copy = value.copy();
        value.close();
        assertThat(copy.reveal()).as("caller's array and the original are separate").isEqualTo("abc");
    }

    @Test
    void comparesWithoutEqualsExposingIt() {
        SecretValue a = SecretValue.of("same");
        SecretValue b = SecretValue.of("same");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.sameValueAs(b)).isTrue();
        assertThat(a.sameValueAs(SecretValue.of("samf"))).isFalse();
        assertThat(a.sameValueAs(SecretValue.of("same-but-longer"))).isFalse();
    }

    @Test
    void decodesUtf8AndRefusesInvalidBytesWithoutQuotingThem() {
        assertThat(SecretValue.ofUtf8("pässwörd".getBytes(StandardCharsets.UTF_8)).reveal()).isEqualTo("pässwörd");
        assertThatThrownBy(() -> SecretValue.ofUtf8(new byte[]{(byte) 0xC3, (byte) 0x28}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret payload is not valid UTF-8 (expected: UTF-8 text)");
    }
}
