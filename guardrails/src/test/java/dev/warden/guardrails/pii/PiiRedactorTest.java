package dev.warden.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.guardrails.RedactionVault;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {

    private final PiiRedactor placeholders = PiiRedactor.defaults();

    private String redact(String text) {
        return placeholders.redact(text, new RedactionVault()).text();
    }

    @Test
    void sameValueSamePlaceholderEvenWhenWrittenDifferently() {
        assertThat(redact("Pay 4111 1111 1111 1111, again 4111-1111-1111-1111, then 5555555555554444."))
                .isEqualTo("Pay [CREDIT_CARD_1], again [CREDIT_CARD_1], then [CREDIT_CARD_2].");
        assertThat(redact("Alice@Example.com and alice@example.com")).isEqualTo("[EMAIL_1] and [EMAIL_1]");
    }

    @Test
    void reversibleTokensAreRestoredForTheSameRequestOnly() {
        PiiRedactor tokens = PiiRedactor.of(PiiEngine.defaults(), RedactionMode.TOKEN);
        RedactionVault vault = new RedactionVault();

        RedactedText redacted = tokens.redact("Email bob@example.org about IBAN DE89 3704 0044 0532 0130 00", vault);

        assertThat(redacted.text()).isEqualTo("Email [EMAIL_1] about IBAN [IBAN_1]");
        assertThat(vault.restore("I wrote to [EMAIL_1] regarding [IBAN_1]."))
                .isEqualTo("I wrote to bob@example.org regarding DE89 3704 0044 0532 0130 00.");
        assertThat(new RedactionVault().restore("[EMAIL_1]")).isEqualTo("[EMAIL_1]");
    }

    @Test
    void placeholdersAreNotReversible() {
        RedactionVault vault = new RedactionVault();
        placeholders.redact("bob@example.org", vault);
        assertThat(vault.restore("[EMAIL_1]")).isEqualTo("[EMAIL_1]");
    }

    @Test
    void keyedHashesAreStableUnderOneKeyAndDifferUnderAnother() {
        byte[] key1 = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] key2 = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
        PiiRedactor h1 = PiiRedactor.hashing(PiiEngine.defaults(), () -> key1);
        PiiRedactor h2 = PiiRedactor.hashing(PiiEngine.defaults(), () -> key2);

        String a = h1.redact("SSN 123-45-6789", new RedactionVault()).text();
        String b = h1.redact("SSN 123-45-6789", new RedactionVault()).text();
        String c = h2.redact("SSN 123-45-6789", new RedactionVault()).text();

        assertThat(a).matches("SSN \\[US_SSN:[0-9a-f]{12}]").isEqualTo(b).isNotEqualTo(c);
        assertThat(a).doesNotContain("6789");
    }

    @Test
    void hashingRefusesShortKeys() {
        PiiRedactor weak = PiiRedactor.hashing(PiiEngine.defaults(), () -> new byte[4]);
        assertThatThrownBy(() -> weak.redact("a@b.io is here", new RedactionVault()))
                .hasMessage("hash key: 4 bytes (expected: at least 16 bytes)");
    }

    @Test
    void lookAlikesStay() {
        List<String> untouched = List.of(
                "commit 3f9a1c2b7d4e5f60718293a4b5c6d7e8f9012345",
                "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "id 550e8400-e29b-41d4-a716-446655440000",
                "upgrade to version 1.2.3.4",
                "release 2.4.1.0 is out",
                "total $1,299.00 on 2024-03-14 at 10:30",
                "localhost:8080 and 127.0.0.1 is not here but port 5432 is",
                "order 4111111111111112 fails Luhn",
                "IBAN DE89 3704 0044 0532 0130 01 fails mod-97",
                "SSN 666-12-3456 and 000-12-3456 are never issued");
        for (String text : untouched) {
            String redacted = redact(text);
            if (text.contains("127.0.0.1")) {
                assertThat(redacted).isEqualTo(text.replace("127.0.0.1", "[IP_ADDRESS_1]"));
            } else {
                assertThat(redacted).as(text).isEqualTo(text);
            }
        }
    }

    @Test
    void versionsNeedNoNetworkWordButAddressesGetOneWhenAmbiguous() {
        assertThat(redact("dns 1.2.3.4")).isEqualTo("dns [IP_ADDRESS_1]");
        assertThat(redact("see 1.2.3.4")).isEqualTo("see 1.2.3.4");
        assertThat(redact("see 10.20.30.40")).isEqualTo("see [IP_ADDRESS_1]");
        assertThat(redact("v10.20.30.40")).isEqualTo("v10.20.30.40");
    }

    @Test
    void engineLimitedToSomeTypesFindsOnlyThose() {
        PiiEngine emailOnly = PiiEngine.of(EnumSet.of(EntityType.EMAIL), 0.5);
        PiiRedactor r = PiiRedactor.of(emailOnly, RedactionMode.PLACEHOLDER);
        assertThat(r.redact("a@b.io +49 30 1234567", new RedactionVault()).text()).isEqualTo("[EMAIL_1] +49 30 1234567");
    }

    @Test
    void entityCountsCarryLabelsNotValues() {
        RedactedText r = placeholders.redact("a@b.io, c@d.io, 123-45-6789", new RedactionVault());
        assertThat(r.entityCounts()).isEqualTo(java.util.Map.of("EMAIL", 2, "US_SSN", 1));
        assertThat(r.entityCounts().toString()).doesNotContain("@");
    }

    @Test
    void badEngineArgumentsNameTheValue() {
        assertThatThrownBy(() -> PiiEngine.of(EnumSet.noneOf(EntityType.class), 0.5))
                .hasMessage("types: [] (expected: at least one entity type)");
        assertThatThrownBy(() -> PiiEngine.of(EnumSet.of(EntityType.EMAIL), 1.5))
                .hasMessage("minScore: 1.5 (expected: 0.0..1.0)");
    }

    @Test
    void truncatedPrivateKeysAreRedactedInPlainTextAndInsideJsonStrings() {
        String body = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun";
        assertThat(redact("-----BEGIN EC PRIVATE KEY-----\n" + body + "\nThanks for the help"))
                .isEqualTo("[PRIVATE_KEY_1]\nThanks for the help");
        // In tool-call arguments the newlines are JSON escapes: backslash and n.
        String json = "{\"key\": \"-----BEGIN RSA PRIVATE KEY-----\\n" + body + "\\n" + body.substring(0, 20)
                + "=\", \"x\": 1}";
        assertThat(redact(json)).isEqualTo("{\"key\": \"[PRIVATE_KEY_1]\", \"x\": 1}");
    }
}
