package dev.warden.guardrails.pii;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * International Bank Account Numbers: country code, two check digits and the national part, written plain or in
 * groups of four, with exactly the length the country registered, passing the ISO 7064 mod-97 check.
 */
final class IbanDetector implements Detector {

    /** IBAN lengths per country, from the SWIFT IBAN registry. */
    private static final Map<String, Integer> LENGTHS = new HashMap<>();

    static {
        String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 "
                + "DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 "
                + "IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 "
                + "MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 "
                + "SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30";
        for (String e : table.split(" ")) {
            LENGTHS.put(e.substring(0, 2), Integer.parseInt(e.substring(2)));
        }
    }

    @Override
    public int maxLength() {
        return 34 + 8;
    }

    @Override
    public void scan(String s, List<PiiMatch> out) {
        int n = s.length() - 15;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean lower = Chars.lower(c) && Chars.lower(s.charAt(i + 1));
            if (!(lower || (Chars.upper(c) && Chars.upper(s.charAt(i + 1)))) || !Chars.digit(s.charAt(i + 2))
                    || !Chars.digit(s.charAt(i + 3)) || (i > 0 && Chars.word(s.charAt(i - 1)))) {
                continue;
            }
            // Lower case ("iban: nl91abna...") only right after the word IBAN: otherwise too many identifiers look so.
            if (lower && !Chars.before(s, i, 12).contains("iban")) {
                continue;
            }
            Integer length = LENGTHS.get(s.substring(i, i + 2).toUpperCase(java.util.Locale.ROOT));
            if (length == null) {
                continue;
            }
            int end = match(s, i, length, lower);
            if (end > 0) {
                out.add(new PiiMatch(EntityType.IBAN, i, end, 0.97));
                i = end - 1;
            }
        }
    }

    /** End of a valid IBAN of {@code length} chars starting at {@code i}, or -1. */
    private static int match(String s, int i, int length, boolean lower) {
        char[] iban = new char[length];
        int count = 0;
        int j = i;
        while (j < s.length() && count < length) {
            char c = s.charAt(j);
            if (Chars.digit(c) || (lower ? Chars.lower(c) : Chars.upper(c))) {
                iban[count++] = Character.toUpperCase(c);
                j++;
            } else if (c == ' ' && count % 4 == 0 && j + 1 < s.length() && Chars.alnum(s.charAt(j + 1))) {
                j++;
            } else {
                return -1;
            }
        }
        if (count < length || Chars.alnumAt(s, j)) {
            return -1;
        }
        return mod97(iban) == 1 ? j : -1;
    }

    /** ISO 7064 MOD 97-10 over the rearranged IBAN (first four chars moved to the end, letters as 10..35). */
    static int mod97(char[] iban) {
        int r = 0;
        for (int k = 0; k < iban.length; k++) {
            char c = iban[(k + 4) % iban.length];
            int v = Chars.digit(c) ? c - '0' : c - 'A' + 10;
            r = v < 10 ? (r * 10 + v) % 97 : (r * 100 + v) % 97;
        }
        return r;
    }
}
