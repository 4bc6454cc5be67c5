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
     * ({@code Proc-Type: ...}) before them; a blank line or a line of anything else after base64 ends it. Lines end
     * at a newline or at a literal {@code \n} escape, so a key pasted into a JSON string (tool-call arguments) is
     * covered too; a last line that starts with base64 and goes on with other text ({@code ...AoGBAOr="}) counts up
     * to the end of its base64.
     */
    static int truncatedBodyEnd(String s, int from) {
        int limit = Math.min(s.length(), from + MAX_BLOCK);
        int lastBody = from;
        boolean sawBase64 = false;
        int j = from;
        while (j < limit) {
            int k = j;
            while (k < limit && s.charAt(k) != '\n' && !escapedBreak(s, k, limit)) {
                k++;
            }
            int a = j;
            while (a < k && Character.isWhitespace(s.charAt(a))) {
                a++;
            }
            int b = k;
            while (b > a && Character.isWhitespace(s.charAt(b - 1))) {
                b--;
            }
            if (a == b) {
                if (sawBase64) {
                    break;
                }
            } else {
                int p = a;
                while (p < b && base64(s.charAt(p))) {
                    p++;
                }
                if (p == b) {
                    sawBase64 = true;
                    lastBody = b;
                } else if (!sawBase64 && s.indexOf(':', a) > a && s.indexOf(':', a) < b) {
                    lastBody = b; // Proc-Type: 4,ENCRYPTED / DEK-Info: ...
                } else {
                    // "...AoGBAOr=\"}" in JSON: the base64 runs into a closing quote, not into prose.
                    if (sawBase64 && p - a >= 4 && "\"',}]<`".indexOf(s.charAt(p)) >= 0) {
                        lastBody = p;
                    }
                    break;
                }
            }
            j = k >= limit ? k : s.charAt(k) == '\n' ? k + 1 : k + 2;
        }
        return Math.max(lastBody, from);
    }

    /** A literal backslash-n or backslash-r, as in a JSON string. */
    private static boolean escapedBreak(String s, int k, int limit) {
        return s.charAt(k) == '\\' && k + 1 < limit && (s.charAt(k + 1) == 'n' || s.charAt(k + 1) == 'r');
    }

    private static boolean base64(char c) {
        return Chars.alnum(c) || c == '+' || c == '/' || c == '=';
    }
}
