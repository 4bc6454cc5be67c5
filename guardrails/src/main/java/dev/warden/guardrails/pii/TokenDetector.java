package dev.warden.guardrails.pii;

import java.util.List;

/**
 * Vendor credentials recognisable by their published prefixes: AWS access key ids, OpenAI, Anthropic, Google,
 * Stripe, Slack and GitHub tokens. Each prefix is found with {@link String#indexOf}, then the body is checked for
 * its alphabet, length and (where the vendor's format is otherwise loose) a mix of character classes, so words
 * that merely start like a prefix ({@code sk-learn}, {@code ghp_config}) stay.
 */
final class TokenDetector implements Detector {

    private record Rule(String prefix, EntityType type, int minBody, int maxBody, Alphabet alphabet,
            boolean needsMix) {}

    private enum Alphabet { ALNUM, BASE64URL, ALNUM_UNDERSCORE, SLACK }

    /** Longer prefixes first where one extends another ({@code sk-ant-} before {@code sk-}). */
    private static final List<Rule> RULES = List.of(
            new Rule("sk-ant-", EntityType.ANTHROPIC_API_KEY, 32, 200, Alphabet.BASE64URL, true),
            new Rule("sk-proj-", EntityType.OPENAI_API_KEY, 20, 200, Alphabet.BASE64URL, true),
            new Rule("sk-svcacct-", EntityType.OPENAI_API_KEY, 20, 200, Alphabet.BASE64URL, true),
            new Rule("sk-admin-", EntityType.OPENAI_API_KEY, 20, 200, Alphabet.BASE64URL, true),
            new Rule("sk-", EntityType.OPENAI_API_KEY, 32, 200, Alphabet.BASE64URL, true),
            new Rule("AIza", EntityType.GOOGLE_API_KEY, 35, 35, Alphabet.BASE64URL, false),
            new Rule("sk_live_", EntityType.STRIPE_KEY, 20, 247, Alphabet.ALNUM, false),
            new Rule("sk_test_", EntityType.STRIPE_KEY, 20, 247, Alphabet.ALNUM, false),
            new Rule("rk_live_", EntityType.STRIPE_KEY, 20, 247, Alphabet.ALNUM, false),
            new Rule("rk_test_", EntityType.STRIPE_KEY, 20, 247, Alphabet.ALNUM, false),
            new Rule("whsec_", EntityType.STRIPE_KEY, 24, 100, Alphabet.ALNUM, true),
            new Rule("xoxb-", EntityType.SLACK_TOKEN, 10, 250, Alphabet.SLACK, false),
            new Rule("xoxp-", EntityType.SLACK_TOKEN, 10, 250, Alphabet.SLACK, false),
            new Rule("xoxa-", EntityType.SLACK_TOKEN, 10, 250, Alphabet.SLACK, false),
            new Rule("xoxr-", EntityType.SLACK_TOKEN, 10, 250, Alphabet.SLACK, false),
            new Rule("xoxs-", EntityType.SLACK_TOKEN, 10, 250, Alphabet.SLACK, false),
            new Rule("xoxe.xoxp-", EntityType.SLACK_TOKEN, 10, 250, Alphabet.SLACK, false),
            new Rule("xapp-", EntityType.SLACK_TOKEN, 10, 250, Alphabet.SLACK, false),
            new Rule("github_pat_", EntityType.GITHUB_TOKEN, 50, 255, Alphabet.ALNUM_UNDERSCORE, true),
            new Rule("ghp_", EntityType.GITHUB_TOKEN, 36, 251, Alphabet.ALNUM, true),
            new Rule("gho_", EntityType.GITHUB_TOKEN, 36, 251, Alphabet.ALNUM, true),
            new Rule("ghu_", EntityType.GITHUB_TOKEN, 36, 251, Alphabet.ALNUM, true),
            new Rule("ghs_", EntityType.GITHUB_TOKEN, 36, 251, Alphabet.ALNUM, true),
            new Rule("ghr_", EntityType.GITHUB_TOKEN, 36, 251, Alphabet.ALNUM, true));

    /** AWS key id prefixes: user access keys, temporary (STS) keys, and the other IAM unique-id kinds. */
    private static final List<String> AWS_PREFIXES = List.of("AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA",
            "AIPA", "ANPA", "ANVA", "APKA");

    @Override
    public int maxLength() {
        return 270;
    }

    /** Rules grouped by their first two chars, so one {@link String#indexOf} pass serves several prefixes. */
    private static final java.util.Map<String, List<Rule>> BY_LEAD = new java.util.LinkedHashMap<>();

    static {
        for (Rule r : RULES) {
            BY_LEAD.computeIfAbsent(r.prefix().substring(0, 2), k -> new java.util.ArrayList<>()).add(r);
        }
    }

    @Override
    public void scan(String s, List<PiiMatch> out) {
        for (java.util.Map.Entry<String, List<Rule>> group : BY_LEAD.entrySet()) {
            int i = s.indexOf(group.getKey());
            while (i >= 0) {
                int end = -1;
                if (i == 0 || !Chars.base64url(s.charAt(i - 1))) {
                    // Longer prefixes come first in RULES, so sk-ant- wins over sk-.
                    for (Rule rule : group.getValue()) {
                        if (s.startsWith(rule.prefix(), i)) {
                            end = body(s, i + rule.prefix().length(), rule);
                            if (end > 0) {
                                out.add(new PiiMatch(rule.type(), i, end, 0.99));
                                break;
                            }
                        }
                    }
                }
                i = s.indexOf(group.getKey(), Math.max(i + 1, end));
            }
        }
        scanAwsKeyIds(s, out);
    }

    private static boolean alreadyFound(List<PiiMatch> out, int start) {
        for (int k = out.size() - 1; k >= 0; k--) {
            PiiMatch m = out.get(k);
            if (m.start() <= start && start < m.end()) {
                return true;
            }
        }
        return false;
    }

    /** End of a valid body starting at {@code from}, or -1. */
    private static int body(String s, int from, Rule rule) {
        int j = from;
        while (j < s.length() && j - from <= rule.maxBody() && in(rule.alphabet(), s.charAt(j))) {
            j++;
        }
        int len = j - from;
        if (len < rule.minBody() || len > rule.maxBody()) {
            return -1;
        }
        // A trailing hyphen or underscore is punctuation, not part of a token.
        while (j > from && (s.charAt(j - 1) == '-' || s.charAt(j - 1) == '_') && rule.alphabet() != Alphabet.ALNUM) {
            j--;
        }
        if (rule.needsMix() && !(Chars.mixed(s, from, j, 2) && Chars.entropy(s, from, j) > 3.0)) {
            return -1;
        }
        if (rule.alphabet() == Alphabet.SLACK && !Chars.mixed(s, from, j, 2)) {
            return -1;
        }
        return j;
    }

    private static boolean in(Alphabet a, char c) {
        return switch (a) {
            case ALNUM -> Chars.alnum(c);
            case BASE64URL -> Chars.base64url(c);
            case ALNUM_UNDERSCORE -> Chars.alnum(c) || c == '_';
            case SLACK -> Chars.alnum(c) || c == '-';
        };
    }

    private static void scanAwsKeyIds(String s, List<PiiMatch> out) {
        int n = s.length() - 20;
        int i = s.indexOf('A');
        while (i >= 0 && i <= n) {
            if ((i == 0 || !Chars.alnum(s.charAt(i - 1))) && Chars.upper(s.charAt(i + 1))
                    && Chars.upper(s.charAt(i + 2)) && Chars.upper(s.charAt(i + 3))
                    && AWS_PREFIXES.contains(s.substring(i, i + 4))) {
                int j = i + 4;
                while (j < i + 20 && (Chars.upper(s.charAt(j)) || Chars.digit(s.charAt(j)))) {
                    j++;
                }
                if (j == i + 20 && !Chars.alnumAt(s, j)) {
                    out.add(new PiiMatch(EntityType.AWS_ACCESS_KEY, i, j, 0.97));
                    i = s.indexOf('A', j);
                    continue;
                }
            }
            i = s.indexOf('A', i + 1);
        }
    }
}
