package dev.warden.guardrails.pii;

import java.util.List;

/**
 * US Social Security numbers. {@code 123-45-6789} is taken on its shape; {@code 123 45 6789} and a bare
 * {@code 123456789} only next to words such as "SSN" or "social security". The Social Security Administration never
 * issues area 000, 666 or 900–999, group 00 or serial 0000, so those stay.
 */
final class SsnDetector implements Detector {

    private static final String[] SSN_WORDS = {"ssn", "social security", "soc sec", "ss#", "ss #", "ss no",
        "taxpayer", "itin", "tin"};

    @Override
    public int maxLength() {
        return 11;
    }

    @Override
    public void scan(String s, List<PiiMatch> out) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (!Chars.digit(s.charAt(i)) || (i > 0 && (Chars.word(s.charAt(i - 1)) || numberJoin(s, i - 1)))) {
                i++;
                continue;
            }
            if (Chars.digitsAhead(s, i, "- ", 10) < 9) {
                while (i < n && Chars.digit(s.charAt(i))) {
                    i++;
                }
                continue;
            }
            DigitRun run = DigitRun.parse(s, i, "- ", 9);
            if (run == null) {
                while (i < n && (Chars.digit(s.charAt(i)) || s.charAt(i) == '-' || s.charAt(i) == ' ')) {
                    i++;
                }
                continue;
            }
            double score = score(s, run);
            if (score > 0) {
                out.add(new PiiMatch(EntityType.US_SSN, run.start(), run.end(), score));
            }
            i = Math.max(i + 1, run.end());
        }
    }

    private static boolean numberJoin(String s, int i) {
        char c = s.charAt(i);
        return (c == '.' || c == ',' || c == '-' || c == '/' || c == '+' || c == '$') && (i == 0 || Chars.digitAt(s, i - 1)
                || c == '$' || c == '+');
    }

    private static double score(String s, DigitRun run) {
        if (run.digitCount() != 9) {
            return 0;
        }
        int e = run.end();
        if (Chars.wordAt(s, e) || ((Chars.charAt(s, e, '.') || Chars.charAt(s, e, ',') || Chars.charAt(s, e, '-'))
                && Chars.digitAt(s, e + 1))) {
            return 0;
        }
        String d = run.digits();
        int area = Integer.parseInt(d.substring(0, 3));
        int group = Integer.parseInt(d.substring(3, 5));
        int serial = Integer.parseInt(d.substring(5));
        if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
            return 0;
        }
        int[] g = run.groups();
        boolean grouped = g.length == 3 && g[0] == 3 && g[1] == 2 && g[2] == 4;
        boolean context = Chars.containsWord(Chars.before(s, run.start(), 40), SSN_WORDS);
        if (grouped && run.separator() == '-') {
            return context ? 0.95 : 0.8;
        }
        if ((grouped || g.length == 1) && context) {
            return 0.85;
        }
        return 0;
    }
}
