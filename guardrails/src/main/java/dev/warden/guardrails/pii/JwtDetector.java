package dev.warden.guardrails.pii;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * JSON Web Tokens: three base64url segments joined by dots whose first segment decodes to a JSON object with an
 * {@code alg} or {@code typ} member. Every JWT header starts with {@code eyJ} ({@code {"} in base64), so that is the
 * search key; decoding the header then rules out look-alikes such as dotted identifiers.
 */
final class JwtDetector implements Detector {

    static final int MAX_TOKEN = 8 * 1024;

    @Override
    public int maxLength() {
        return MAX_TOKEN;
    }

    @Override
    public void scan(String s, List<PiiMatch> out) {
        int i = s.indexOf("eyJ");
        while (i >= 0) {
            int end = -1;
            if (i == 0 || !(Chars.base64url(s.charAt(i - 1)) || s.charAt(i - 1) == '.')) {
                end = match(s, i);
            }
            if (end > 0) {
                out.add(new PiiMatch(EntityType.JWT, i, end, 0.98));
            }
            i = s.indexOf("eyJ", Math.max(i + 1, end));
        }
    }

    private static int match(String s, int i) {
        int limit = Math.min(s.length(), i + MAX_TOKEN);
        int j = i;
        while (j < limit && Chars.base64url(s.charAt(j))) {
            j++;
        }
        int headerEnd = j;
        if (headerEnd - i < 10 || !Chars.charAt(s, j, '.')) {
            return -1;
        }
        j++;
        int payloadStart = j;
        while (j < limit && Chars.base64url(s.charAt(j))) {
            j++;
        }
        if (j - payloadStart < 2 || !Chars.charAt(s, j, '.')) {
            return -1;
        }
        j++;
        while (j < limit && Chars.base64url(s.charAt(j))) {
            j++;
        }
        if (Chars.charAt(s, j, '.') && Chars.base64url(charOr(s, j + 1))) {
            return -1; // a fourth segment: JWE or something else, not a JWS compact token
        }
        return header(s.substring(i, headerEnd)) ? j : -1;
    }

    private static char charOr(String s, int i) {
        return i < s.length() ? s.charAt(i) : ' ';
    }

    private static boolean header(String segment) {
        try {
            String json = new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8).trim();
            return json.startsWith("{") && (json.contains("\"alg\"") || json.contains("\"typ\""));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
