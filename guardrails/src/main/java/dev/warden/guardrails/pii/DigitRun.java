package dev.warden.guardrails.pii;

import org.jspecify.annotations.Nullable;

/**
 * A run of digit groups joined by one kind of single separator, e.g. {@code 4111 1111 1111 1111} or
 * {@code 123-45-6789}. Shared by the card and SSN detectors, which both need "digits, consistently grouped".
 *
 * @param start first digit
 * @param end after the last digit
 * @param digits the digits alone
 * @param groups length of each group
 * @param separator the separator, or 0 for none
 */
record DigitRun(int start, int end, String digits, int[] groups, char separator) {

    /**
     * Parses from {@code start} (a digit). Returns null if the run holds more than {@code maxDigits} digits, since then
     * it is some longer number and no prefix of it should match.
     */
    static @Nullable DigitRun parse(String s, int start, String separators, int maxDigits) {
        StringBuilder digits = new StringBuilder(24);
        int[] groups = new int[maxDigits + 1];
        int groupCount = 0;
        int groupLen = 0;
        char sep = 0;
        int i = start;
        int end = start;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Chars.digit(c)) {
                digits.append(c);
                if (digits.length() > maxDigits) {
                    return null;
                }
                groupLen++;
                i++;
                end = i;
            } else if (separators.indexOf(c) >= 0 && groupLen > 0 && Chars.digitAt(s, i + 1)
                    && (sep == 0 || sep == c)) {
                sep = c;
                groups[groupCount++] = groupLen;
                groupLen = 0;
                i++;
            } else {
                break;
            }
        }
        groups[groupCount++] = groupLen;
        return new DigitRun(start, end, digits.toString(), java.util.Arrays.copyOf(groups, groupCount), sep);
    }

    int digitCount() {
        return digits.length();
    }
}
