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

    /** Whether at least {@code minClasses} of the classes upper case, lower case and digit occur. */
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

    /** Groups words by their lower-case ASCII first letter, so a scanner tries only the few that can match. */
    static String[][] byFirstLetter(String... words) {
        java.util.List<java.util.List<String>> lists = new java.util.ArrayList<>();
        for (int k = 0; k < 128; k++) {
            lists.add(new java.util.ArrayList<>());
        }
        for (String w : words) {
            char c = Character.toLowerCase(w.charAt(0));
            if (c >= 128) {
                throw new IllegalArgumentException("word: " + w + " (expected: an ASCII first letter)");
            }
            lists.get(c).add(w);
        }
        String[][] out = new String[128][];
        for (int k = 0; k < 128; k++) {
            out[k] = lists.get(k).toArray(new String[0]);
        }
        return out;
    }

    /** The bucket for the char at {@code i}, empty for non-ASCII chars. */
    static String[] bucket(String[][] buckets, char c) {
        if (c >= 'A' && c <= 'Z') {
            c = (char) (c + 32);
        }
        return c < 128 ? buckets[c] : EMPTY;
    }

    private static final String[] EMPTY = new String[0];

    /** Whether {@code s[from, to)} equals the lower-case {@code word}, ignoring ASCII case, without allocating. */
    static boolean equalsIgnoreCase(String s, int from, int to, String word) {
        return to - from == word.length() && startsWithIgnoreCase(s, from, word);
    }

    /**
     * Counts the digits of the run starting at {@code i} made of digits and the given separators, up to
     * {@code limit}; a cheap test before a detector parses a run in full.
     */
    static int digitsAhead(String s, int i, String separators, int limit) {
        int count = 0;
        for (int j = i; j < s.length() && count <= limit; j++) {
            char c = s.charAt(j);
            if (digit(c)) {
                count++;
            } else if (separators.indexOf(c) < 0) {
                break;
            }
        }
        return count;
    }

    /**
     * Whether {@code s} has the lower-case {@code needle} at {@code i}, ignoring case. ASCII is compared by bit
     * arithmetic; only non-ASCII chars go through {@link Character#toLowerCase(char)}. Much cheaper than
     * {@code regionMatches(true, ...)} in the detectors' inner loops.
     */
    static boolean startsWithIgnoreCase(String s, int i, String needle) {
        int n = needle.length();
        if (i < 0 || i + n > s.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            char c = s.charAt(i + k);
            char w = needle.charAt(k);
            if (c == w) {
                continue;
            }
            if (c < 128) {
                if (!(c >= 'A' && c <= 'Z' && (char) (c + 32) == w)) {
                    return false;
                }
            } else if (Character.toLowerCase(c) != w) {
                return false;
            }
        }
        return true;
    }
}
