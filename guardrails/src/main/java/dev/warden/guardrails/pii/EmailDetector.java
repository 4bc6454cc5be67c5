package dev.warden.guardrails.pii;

import java.util.List;

/**
 * E-mail addresses, found from each {@code @} outwards: local part (RFC 5322 atext and dots, Unicode letters for
 * internationalised addresses) and a dotted domain whose last label is a 2+ letter TLD.
 *
 * <p>Left alone: credentials in URLs ({@code https://user:pass@host}, the password detector's job), image
 * densities ({@code icon@2x.png}), package and digest pins ({@code lodash@4.17.21}, {@code image@sha256:...}),
 * decorators and handles without a domain.
 */
final class EmailDetector implements Detector {

    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 253;

    @Override
    public int maxLength() {
        return MAX_LOCAL + 1 + MAX_DOMAIN;
    }

    @Override
    public void scan(String s, List<PiiMatch> out) {
        int at = s.indexOf('@');
        while (at >= 0) {
            int next = scanAt(s, at, out);
            at = s.indexOf('@', Math.max(next, at + 1));
        }
    }

    private static boolean localChar(char c) {
        // RFC 5322 also allows ! # $ & * = ? ^ ` { | } ~, but they are far likelier to be the syntax around an
        // address (--author=..., key=...) than part of it.
        if (c < 128) {
            return Chars.alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
        }
        return Character.isLetterOrDigit(c);
    }

    private static boolean domainChar(char c) {
        return c < 128 ? Chars.alnum(c) || c == '.' || c == '-' : Character.isLetterOrDigit(c);
    }

    private static int scanAt(String s, int at, List<PiiMatch> out) {
        int start = at;
        while (start > 0 && at - start < MAX_LOCAL + 1 && localChar(s.charAt(start - 1))) {
            start--;
        }
        // A leading quote, dot or hyphen is prose or option syntax around the address ('--to', "'alice").
        while (start < at && ".-'+".indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        if (start == at || s.charAt(at - 1) == '.' || (start > 0 && localChar(s.charAt(start - 1)))) {
            return at + 1;
        }
        int end = at + 1;
        while (end < s.length() && end - at <= MAX_DOMAIN && domainChar(s.charAt(end))) {
            end++;
        }
        // A sentence's full stop or a trailing hyphen is not part of the domain.
        while (end > at + 1 && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == '-')) {
            end--;
        }
        if (!validDomain(s, at + 1, end)) {
            return end;
        }
        if (isUrlUserinfo(s, start)) {
            return end;
        }
        // user@host:path is an scp/ssh remote (git@github.com:owner/repo.git), not an address.
        if (Chars.charAt(s, end, ':') && end + 1 < s.length() && (Chars.letter(s.charAt(end + 1))
                || s.charAt(end + 1) == '/' || s.charAt(end + 1) == '~')) {
            return end;
        }
        String local = s.substring(start, at);
        if (local.contains("..") || local.chars().noneMatch(Character::isLetterOrDigit)) {
            return end;
        }
        // lodash@4.17.21 style pins never have a letter-only TLD, but "foo@2x.png" does: reject the density form.
        int firstDot = s.indexOf('.', at + 1);
        String firstLabel = s.substring(at + 1, firstDot);
        if (firstLabel.length() <= 3 && firstLabel.endsWith("x") && firstLabel.chars().limit(firstLabel.length() - 1L)
                .allMatch(Character::isDigit) && firstLabel.length() > 1) {
            return end;
        }
        out.add(new PiiMatch(EntityType.EMAIL, start, end, 0.95));
        return end;
    }

    private static boolean validDomain(String s, int from, int to) {
        if (to - from < 4) {
            return false;
        }
        int labelStart = from;
        int labels = 0;
        for (int i = from; i <= to; i++) {
            if (i == to || s.charAt(i) == '.') {
                int len = i - labelStart;
                if (len == 0 || len > 63 || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                labels++;
                if (i == to) {
                    return labels >= 2 && validTld(s, labelStart, i);
                }
                labelStart = i + 1;
            }
        }
        return false;
    }

    private static boolean validTld(String s, int from, int to) {
        if (to - from < 2) {
            return false;
        }
        if (s.startsWith("xn--", from)) {
            return true;
        }
        for (int i = from; i < to; i++) {
            if (!Chars.letter(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code scheme://user:pass@host}: the {@code @} ends the authority's userinfo, not an address. */
    private static boolean isUrlUserinfo(String s, int localStart) {
        int i = localStart - 1;
        while (i >= 0 && !Character.isWhitespace(s.charAt(i)) && localStart - i < 512) {
            char c = s.charAt(i);
            if (c == '/' ) {
                return i >= 2 && s.charAt(i - 1) == '/' && s.charAt(i - 2) == ':';
            }
            if (c == '?' || c == '#' || c == '&' || c == '"' || c == '<' || c == '(') {
                return false;
            }
            i--;
        }
        return false;
    }
}
