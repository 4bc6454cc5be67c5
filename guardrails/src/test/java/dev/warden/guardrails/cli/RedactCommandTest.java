package dev.warden.guardrails.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedactCommandTest {

    private static byte[] run(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = RedactCommand.run(new ByteArrayInputStream(input), out);
        assertThat(code).isZero();
        return out.toByteArray();
    }

    @Test
    void keepsEveryByteOutsideTheFindings() {
        String in = "\uFEFFName:\tAlice\r\n\r\ncontact: alice@example.com  \r\n\ttrailing spaces   \n"
                + "  card 4111 1111 1111 1111\u00A0end\nno final newline";
        String expected = "\uFEFFName:\tAlice\r\n\r\ncontact: [EMAIL_1]  \r\n\ttrailing spaces   \n"
                + "  card [CREDIT_CARD_1]\u00A0end\nno final newline";
        assertThat(run(in.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void textWithoutFindingsIsCopiedExactly() {
        byte[] in = "déjà vu — 日本語 ✓\n\n\n  \t\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(run(in)).isEqualTo(in);
    }

    @Test
    void emptyInputGivesEmptyOutput() {
        assertThat(run(new byte[0])).isEmpty();
    }

    @Test
    void invalidUtf8BytesSurviveUnchanged() {
        byte[] prefix = "mail bob@example.org \u0000".getBytes(StandardCharsets.ISO_8859_1);
        byte[] in = new byte[prefix.length + 3];
        System.arraycopy(prefix, 0, in, 0, prefix.length);
        in[prefix.length] = (byte) 0xC3;
        in[prefix.length + 1] = (byte) 0x28; // invalid continuation
        in[prefix.length + 2] = (byte) 0xFF;
        byte[] out = run(in);
        byte[] expectedPrefix = "mail [EMAIL_1] \u0000".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(out).startsWith(expectedPrefix);
        assertThat(out).endsWith((byte) 0xC3, (byte) 0x28, (byte) 0xFF);
        assertThat(out).hasSize(expectedPrefix.length + 3);
    }
}
