package dev.warden.guardrails.pii;

import java.util.Locale;

/** Character classes and context look-ups shared by the detectors. All ASCII-fast, Unicode-aware where it says so. */
final class Chars {

    private Chars() {}

    static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean lower(char c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean alnum(char c) {
        return digit(c) || upper(c) || lower(c);
    }

    static boolean hex(char c) {
        return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Letter or digit in any script, or underscore: what a "word" is made of. */
    static boolean word(char c) {
        return c < 128 ? alnum(c) || c == '_' : Character.isLetterOrDigit(c);
    }

    static boolean letter(char c) {
        return c < 128 ? upper(c) || lower(c) : Character.isLetter(c);
    }

    static boolean base64url(char c) {
        return alnum(c) || c == '-' || c == '_';
    }

    static boolean charAt(String s, int i, char c) {
        return i >= 0 && i < s.length() && s.charAt(i) == c;
    }

    static boolean wordAt(String s, int i) {
        return i >= 0 && i < s.length() && word(s.charAt(i));
    }

    static boolean digitAt(String s, int i) {
        return i >= 0 && i < s.length() && digit(s.charAt(i));
    }

    static boolean alnumAt(String s, int i) {
        return i >= 0 && i < s.length() && alnum(s.charAt(i));
    }

    /** Lower-cased text of the {@code window} chars before {@code pos}, for context-word checks. */
    static String before(String s, int pos, int window) {
        return s.substring(Math.max(0, pos - window), pos).toLowerCase(Locale.ROOT);
    }

    /** Lower-cased text of the {@code window} chars after {@code pos}. */
    static String after(String s, int pos, int window) {
        return s.substring(pos, Math.min(s.length(), pos + window)).toLowerCase(Locale.ROOT);
    }

    static boolean containsAny(String haystack, String... needles) {
        for (String n : needles) {
            if (haystack.contains(n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether one of the words occurs in {@code haystack} starting at a word boundary (so "ip" matches "server ip:"
     * but not "zip"). Needles are lower case.
     */
    static boolean containsWord(String haystack, String... needles) {
        for (String n : needles) {
            int i = haystack.indexOf(n);
            while (i >= 0) {
                boolean leftOk = i == 0 || !word(haystack.charAt(i - 1));
                int e = i + n.length();
                boolean rightOk = e >= haystack.length() || !word(haystack.charAt(e)) || !word(n.charAt(n.length() - 1));
                if (leftOk && rightOk) {
                    return true;
                }
                i = haystack.indexOf(n, i + 1);
            }
        }
        return false;
    }

    /** Case-insensitive ASCII search of a lower-case needle, without lower-casing the haystack. */
    static int indexOfIgnoreCase(String s, String lowerNeedle, int from) {
        int n = lowerNeedle.length();
        char first = lowerNeedle.charAt(0);
        char firstUpper = Character.toUpperCase(first);
        for (int i = Math.max(0, from), last = s.length() - n; i <= last; i++) {
            char c = s.charAt(i);
            if (c != first && c != firstUpper) {
                continue;
            }
            if (s.regionMatches(true, i, lowerNeedle, 0, n)) {
                return i;
            }
        }
        return -1;
    }

    /** Shannon entropy in bits per char; separates random secrets from words and placeholders. */
    static double entropy(String s, int start, int end) {
        int[] counts = new int[128];
        int other = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double n = end - start;
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = c / n;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        if (other > 0) {
            double p = other / n;
            h -= p * (Math.log(p) / Math.log(2));
        }
        return h;
    }

    /** Counts of char classes: [upper, lower, digit]. */
    static boolean mixed(String s, int start, int end, int minClasses) {
        boolean u = false;
        boolean l = false;
        boolean d = false;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            u |= upper(c);
            l |= lower(c);
            d |= digit(c);
        }
        return (u ? 1 : 0) + (l ? 1 : 0) + (d ? 1 : 0) >= minClasses;
    }
}
