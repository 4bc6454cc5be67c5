package dev.warden.guardrails.cli;

import static java.util.Objects.requireNonNull;

import dev.warden.guardrails.RedactionVault;
import dev.warden.guardrails.pii.PiiRedactor;
import dev.warden.guardrails.pii.RedactedText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * {@code warden redact}: reads stdin, writes it to stdout with PII replaced by typed placeholders ({@code [EMAIL_1]}),
 * every other byte unchanged: line endings, tabs, blank lines, a byte-order mark and a missing final newline all
 * survive.
 *
 * <p>Input is decoded as UTF-8. Input that is not valid UTF-8 is processed as ISO-8859-1, which maps every byte to
 * one char and back, so even then no byte outside a finding changes (non-ASCII letters are then not letters to the
 * detectors, a limitation only for names and addresses).
 *
 * <p>Exit codes: 0 success, 2 I/O error. A summary of counts (never values) goes to stderr with {@code --summary}.
 */
public final class RedactCommand {

    private RedactCommand() {}

    public static void main(String[] args) {
        boolean summary = args.length > 0 && args[0].equals("--summary");
        if (args.length > (summary ? 1 : 0)) {
            System.err.println("usage: warden redact [--summary] < input > output");
            System.exit(64);
        }
        int code = run(System.in, System.out, summary ? System.err : null);
        System.exit(code);
    }

    /** Redacts {@code in} to {@code out} with the default policy; returns the exit code. Does not close the streams. */
    public static int run(InputStream in, OutputStream out) {
        return run(in, out, null);
    }

    static int run(InputStream in, OutputStream out, @Nullable PrintStream summary) {
        requireNonNull(in, "in");
        requireNonNull(out, "out");
        try {
            byte[] bytes = in.readAllBytes();
            boolean utf8 = true;
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                utf8 = false;
                text = new String(bytes, StandardCharsets.ISO_8859_1);
            }
            RedactedText redacted = PiiRedactor.defaults().redact(text, new RedactionVault());
            out.write(redacted.text().getBytes(utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
            out.flush();
            if (summary != null) {
                summary.println("redacted " + redacted.entityCounts());
            }
            return 0;
        } catch (IOException e) {
            System.err.println("warden redact: " + e.getMessage());
            return 2;
        }
    }
}
