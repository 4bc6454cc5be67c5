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
