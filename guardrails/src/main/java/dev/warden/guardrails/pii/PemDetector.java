package dev.warden.guardrails.pii;

import java.util.List;

/**
 * PEM private-key blocks ({@code -----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED ]PRIVATE KEY-----} through the
 * matching END line; also PGP private key blocks). A block cut off before its END line (a truncated paste) is taken
 * up to the end of its base64 body, since half a key is still a secret. Public keys and certificates stay.
 */
final class PemDetector implements Detector {

    /** A 16 KiB RSA key is about 12 KB of PEM; anything longer is not one block. */
    static final int MAX_BLOCK = 16 * 1024;

    @Override
    public int maxLength() {
        return MAX_BLOCK;
    }

    @Override
    public void scan(String s, List<PiiMatch> out) {
        int i = s.indexOf("-----BEGIN ");
        while (i >= 0) {
            int headerEnd = s.indexOf("-----", i + 11);
            if (headerEnd < 0 || headerEnd - i > 80) {
                i = s.indexOf("-----BEGIN ", i + 1);
                continue;
            }
            String label = s.substring(i + 11, headerEnd);
            if (!label.endsWith("PRIVATE KEY") && !label.endsWith("PRIVATE KEY BLOCK")) {
                i = s.indexOf("-----BEGIN ", headerEnd);
                continue;
            }
            String footer = "-----END " + label + "-----";
            int footerAt = s.indexOf(footer, headerEnd + 5);
            int end;
            if (footerAt >= 0 && footerAt - i <= MAX_BLOCK) {
                end = footerAt + footer.length();
            } else {
                end = truncatedBodyEnd(s, headerEnd + 5);
            }
            out.add(new PiiMatch(EntityType.PRIVATE_KEY, i, end, 0.99));
            i = s.indexOf("-----BEGIN ", end);
        }
    }

    /**
     * End of the body after an unterminated BEGIN line: base64 lines, plus encryption header lines
     * ({@code Proc-Type: ...}) and the blank line after them; a blank line after base64 ends it.
     */
    static int truncatedBodyEnd(String s, int from) {
        int limit = Math.min(s.length(), from + MAX_BLOCK);
        int lastBody = from;
        boolean sawBase64 = false;
        int lineStart = from;
        while (lineStart < limit) {
            int lineEnd = s.indexOf('\n', lineStart);
            if (lineEnd < 0 || lineEnd > limit) {
                lineEnd = limit;
            }
            String line = s.substring(lineStart, lineEnd).strip();
            if (line.isEmpty()) {
                if (sawBase64) {
                    break;
                }
            } else if (base64Line(line)) {
                sawBase64 = true;
                lastBody = lineStart + s.substring(lineStart, lineEnd).stripTrailing().length();
            } else if (!sawBase64 && line.indexOf(':') > 0) {
                lastBody = lineStart + s.substring(lineStart, lineEnd).stripTrailing().length();
            } else {
                break;
            }
            lineStart = lineEnd + 1;
        }
        return Math.max(lastBody, from);
    }

    private static boolean base64Line(String line) {
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (!(Chars.alnum(c) || c == '+' || c == '/' || c == '=')) {
                return false;
            }
        }
        return true;
    }
}
