package dev.warden.secrets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretReferenceTest {

    @Test
    void parsesSchemeLocationAndField() {
        SecretReference ref = SecretReference.parse("vault://secret/providers/openai#api_key");
        assertThat(ref).isEqualTo(new SecretReference("vault", "secret/providers/openai", "api_key"));
        assertThat(ref.toString()).isEqualTo("vault://secret/providers/openai#api_key");
    }

    @Test
    void keepsArnColonsAndNameCharactersThatUriWouldMisread() {
        SecretReference ref = SecretReference.parse(
                "aws-sm://arn:aws:secretsmanager:eu-central-1:123456789012:secret:team@prod/openai+1-AbCdEf#key");
        assertThat(ref.location()).isEqualTo(
                "arn:aws:secretsmanager:eu-central-1:123456789012:secret:team@prod/openai+1-AbCdEf");
        assertThat(ref.field()).isEqualTo("key");
    }

    @Test
    void percentEscapesDecodeAndRoundTrip() {
        SecretReference ref = SecretReference.parse("vault://secret/a%23b#f%20g");
        assertThat(ref.location()).isEqualTo("secret/a#b");
        assertThat(ref.field()).isEqualTo("f g");
        assertThat(SecretReference.parse(ref.toString())).isEqualTo(ref);
    }

    @Test
    void fileUrisKeepTheirAbsolutePath() {
        assertThat(SecretReference.parse("file:///run/secrets/openai").location()).isEqualTo("/run/secrets/openai");
    }

    @Test
    void textThatIsNotAReferenceIsNeverQuoted() {
        String pastedKey = "sk-proj-THIS-LOOKS-LIKE-A-REAL-KEY";
        assertThatThrownBy(() -> SecretReference.parse(pastedKey))
                .isInstanceOf(InvalidSecretReferenceException.class)
                .hasMessageContaining("expected")
                .hasMessageContaining("not shown")
                .message().doesNotContain(pastedKey);
        assertThatThrownBy(() -> SecretReference.parse("Bearer " + pastedKey))
                .message().doesNotContain(pastedKey);
    }

    @Test
    void rejectsWhatNoBackendTakes() {
        assertThatThrownBy(() -> SecretReference.parse("vault://secret/x?version=2"))
                .hasMessageContaining("query");
        assertThatThrownBy(() -> SecretReference.parse("vault://"))
                .hasMessageContaining("empty location");
        assertThatThrownBy(() -> SecretReference.parse("vault://secret/x#"))
                .hasMessageContaining("empty field");
        assertThatThrownBy(() -> SecretReference.parse("vault://secret/x#a#b"))
                .hasMessageContaining("more than one '#'");
        assertThatThrownBy(() -> SecretReference.parse("vault://secret/x%2"))
                .hasMessageContaining("percent escape");
        assertThatThrownBy(() -> SecretReference.parse("vault://secret/ x"))
                .hasMessageContaining("whitespace");
    }
}
