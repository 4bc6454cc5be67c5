package dev.warden.guardrails.pii;

import java.util.List;

/**
 * Telephone numbers in international and national formats.
 *
 * <p>A candidate is a run of digits with single separators (space, hyphen, dot, slash, parentheses), 7 to 15 digits
 * (the E.164 maximum). It is taken:
 * <ul>
 *   <li>on its shape alone when it starts with {@code +} and a valid country code ({@code +49 30 1234567},
 *       {@code +14155550132}), with {@code 00} and a country code when grouped, in the North American layout
 *       ({@code (415) 555-0132}, {@code 415-555-0132}), in the French layout ({@code 01 23 45 67 89}), or as a
 *       grouped national number with a trunk zero ({@code 030 1234567}, {@code 020 7946 0958});</li>
 *   <li>otherwise only next to a phone word in one of several languages (tel, phone, Telefon, téléphone, teléfono,
 *       móvil, Handy, portable, WhatsApp ...).</li>
 * </ul>
 * Dates, IP addresses, versions, decimals, amounts and numbers near words such as "order" or "invoice" stay.
 */
final class PhoneDetector implements Detector {

    private static final String[] PHONE_WORDS = {"tel", "tél", "tlf", "phone", "telephone", "téléphone", "telefon",
        "telefono", "teléfono", "telefone", "call", "calling", "ring", "mobile", "mobil", "móvil", "movil", "cell",
        "cellphone", "handy", "fax", "whatsapp", "sms", "text me", "portable", "numéro", "número", "numero",
        "rufnummer", "nummer", "phone number", "contact", "reach", "ph", "mob", "tel.", "☎", "📞", "hotline",
        "llama", "llámame", "appelez", "anrufen", "erreichbar", "dial"};
    private static final String[] NOT_PHONE_WORDS = {"order", "invoice", "ticket", "tracking", "ref", "reference",
        "id", "iban", "account", "acct", "konto", "serial", "isbn", "version", "ssn", "zip", "postal", "plz",
        "amount", "total", "price", "card", "bestell", "commande", "pedido", "factura", "facture", "rechnung",
        "kundennummer", "customer no", "sku", "part", "build", "hash", "checksum", "timestamp", "epoch", "port",
        "pid", "uid", "gid", "bytes", "size", "ms", "seconds", "population", "revenue", "line", "row", "page",
        "step", "stack", "frame", "offset", "count", "passcode", "pin", "code"};

    /** Country calling codes (ITU-T E.164 assignments), as digit strings. */
    private static final java.util.Set<String> COUNTRY_CODES = java.util.Set.of(("1 7 20 27 30 31 32 33 34 36 39 "
            + "40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 "
            + "95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 "
            + "238 239 240 241 242 243 244 245 246 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 "
            + "264 265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 357 358 359 370 371 372 "
            + "373 374 375 376 377 378 380 381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 505 506 "
            + "507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 676 677 678 679 680 681 "
            + "682 683 685 686 687 688 689 690 691 692 850 852 853 855 856 880 886 960 961 962 963 964 965 966 "
            + "967 968 970 971 972 973 974 975 976 977 992 993 994 995 996 998").split(" "));

    @Override
    public int maxLength() {
        return 32;
    }

    @Override
    public void scan(String s, List<PiiMatch> out) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            boolean trigger = Chars.digit(c) || (c == '+' && (Chars.digitAt(s, i + 1) || (Chars.charAt(s, i + 1, '(')
                    && Chars.digitAt(s, i + 2)))) || (c == '(' && Chars.digitAt(s, i + 1));
            if (!trigger || !leftBoundary(s, i)) {
                i++;
                continue;
            }
            if (Chars.digitsAhead(s, c == '+' || c == '(' ? i + 1 : i, " -./()\u00A0", 7) < 7) {
                i++;
                while (i < n && Chars.digit(s.charAt(i))) {
                    i++;
                }
                continue;
            }
            int end = candidate(s, i, out);
            i = Math.max(i + 1, end);
        }
    }

    private static boolean leftBoundary(String s, int i) {
        if (i == 0) {
            return true;
        }
        char p = s.charAt(i - 1);
        if (Chars.word(p) || p == '+' || p == '$' || p == '€' || p == '£' || p == '¥' || p == '#' || p == '@'
                || p == '=' && !Chars.charAt(s, i - 2, ' ')) {
            return false;
        }
        return !((p == '.' || p == ',' || p == '-' || p == '/' || p == ':') && Chars.digitAt(s, i - 2));
    }

    /** Parses and judges one candidate; returns where scanning should resume. */
    private static int candidate(String s, int start, List<PiiMatch> out) {
        int n = s.length();
        int j = start;
        boolean plus = s.charAt(j) == '+';
        if (plus) {
            j++;
        }
        StringBuilder digits = new StringBuilder(16);
        int[] groups = new int[16];
        int groupCount = 0;
        int groupLen = 0;
        int sepRun = 0;
        int opens = 0;
        boolean dots = false;
        boolean others = false;
        char lastSep = 0;
        boolean mixedSeps = false;
        int end = start;
        while (j < n) {
            char c = s.charAt(j);
            if (Chars.digit(c)) {
                digits.append(c);
                if (digits.length() > 15) {
                    // Longer than any phone number: skip the rest of this number.
                    while (j < n && (Chars.digit(s.charAt(j)) || " -./".indexOf(s.charAt(j)) >= 0)) {
                        j++;
                    }
                    return j;
                }
                groupLen++;
                sepRun = 0;
                j++;
                end = j;
            } else if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '\u00A0' || c == '(' || c == ')') {
                // A separator counts only inside the number: "call 030 1234567." ends before the full stop.
                char next = j + 1 < n ? s.charAt(j + 1) : 0;
                if (!Chars.digit(next) && "( )-.\u00A0".indexOf(next) < 0) {
                    break;
                }
                boolean paren = c == '(' || c == ')';
                if (c == '(') {
                    opens++;
                }
                if (c == ')' && opens == 0) {
                    break;
                }
                if (sepRun >= (paren || lastSep == '(' || lastSep == ')' ? 2 : 1)) {
                    break;
                }
                if (!paren) {
                    if (c == '.') {
                        dots = true;
                    } else if (c != ' ' && c != '\u00A0') {
                        others = true;
                    }
                    if (lastSep != 0 && lastSep != c && lastSep != '(' && lastSep != ')' && lastSep != ' ' && c != ' ') {
                        mixedSeps = true;
                    }
                }
                if (groupLen > 0) {
                    groups[groupCount++] = groupLen;
                    groupLen = 0;
                    if (groupCount >= groups.length - 1) {
                        break;
                    }
                }
                lastSep = c;
                sepRun++;
                j++;
            } else {
                break;
            }
        }
        if (groupLen > 0) {
            groups[groupCount++] = groupLen;
        }
        int[] g = java.util.Arrays.copyOf(groups, groupCount);
        // Digits glued to a following word or decimal (…5.5, 1234abc) are not a phone number.
        if (Chars.wordAt(s, end) || ((Chars.charAt(s, end, '.') || Chars.charAt(s, end, ',')) && Chars.digitAt(s, end + 1))
                || Chars.charAt(s, end, '%') || Chars.charAt(s, end, '€') || Chars.charAt(s, end, '$')
                || (Chars.charAt(s, end, ':') && Chars.digitAt(s, end + 1))) {
            return end;
        }
        double score = score(s, start, end, plus, digits.toString(), g, dots, others, mixedSeps);
        if (score > 0) {
            out.add(new PiiMatch(EntityType.PHONE, start, end, score));
        }
        return end;
    }

    private static double score(String s, int start, int end, boolean plus, String d, int[] g, boolean dots,
            boolean others, boolean mixedSeps) {
        int n = d.length();
        if (n < 7 || n > 15 || mixedSeps) {
            return 0;
        }
        if (looksLikeDate(d, g, dots, others)) {
            return 0;
        }
        if (dots && g.length == 4 && g[0] <= 3 && g[1] <= 3 && g[2] <= 3 && g[3] <= 3 && !plus) {
            return 0; // an IPv4 address or a four-part version
        }
        String ctx = Chars.before(s, start, 40);
        boolean phoneWord = Chars.containsWord(ctx, PHONE_WORDS);
        boolean notPhoneWord = Chars.containsWord(ctx, NOT_PHONE_WORDS);
        if (plus) {
            return n >= 8 && countryCode(d) ? (phoneWord ? 0.95 : 0.85) : 0;
        }
        if (notPhoneWord && !phoneWord) {
            return 0;
        }
        if (d.startsWith("00") && countryCode(d.substring(2)) && n >= 10 && g.length >= 2 && !dots) {
            return phoneWord ? 0.9 : 0.7;
        }
        boolean grouped = g.length >= 2;
        if (dots) {
            // Dots separate versions and decimals far more often than phone groups: only the two common layouts.
            boolean nanp = isNanp(d, g);
            boolean french = n == 10 && g.length == 5 && allTwo(g) && d.charAt(0) == '0';
            return nanp || french ? (phoneWord ? 0.9 : 0.7) : 0;
        }
        if (isNanp(d, g) && grouped) {
            return phoneWord ? 0.95 : 0.8;
        }
        if (n == 10 && g.length == 5 && allTwo(g) && d.charAt(0) == '0' && d.charAt(1) != '0') {
            return phoneWord ? 0.95 : 0.8; // French 0X XX XX XX XX
        }
        if (d.charAt(0) == '0' && d.charAt(1) != '0' && grouped && n >= 9 && n <= 12 && g[0] >= 2 && g[0] <= 5
                && !others) {
            return phoneWord ? 0.9 : 0.6; // trunk-prefixed national number: 030 1234567, 020 7946 0958
        }
        if (d.charAt(0) == '0' && d.charAt(1) != '0' && grouped && n >= 9 && n <= 12 && others && g.length <= 4
                && g[0] >= 2 && g[0] <= 5) {
            return phoneWord ? 0.9 : 0.55; // 0171-1234567, 089/123456
        }
        // Context alone: a phone word and no competing number word ("call stack at line 123456789").
        if (phoneWord && !notPhoneWord && n >= 7 && n <= 13) {
            return 0.75;
        }
        return 0;
    }

    private static boolean allTwo(int[] g) {
        for (int x : g) {
            if (x != 2) {
                return false;
            }
        }
        return true;
    }

    /** North American Numbering Plan: [2-9]XX [2-9]XX XXXX, optionally after a leading 1. */
    private static boolean isNanp(String d, int[] g) {
        String x = d;
        int[] groups = g;
        if (d.length() == 11 && d.charAt(0) == '1') {
            x = d.substring(1);
            if (g.length == 4 && g[0] == 1) {
                groups = new int[] {g[1], g[2], g[3]};
            } else if (g.length != 1) {
                return false;
            }
        }
        if (x.length() != 10 || x.charAt(0) < '2' || x.charAt(3) < '2') {
            return false;
        }
        return groups.length == 1 || (groups.length == 3 && groups[0] == 3 && groups[1] == 3 && groups[2] == 4);
    }

    private static boolean countryCode(String d) {
        for (int len = 1; len <= 3 && len <= d.length(); len++) {
            if (COUNTRY_CODES.contains(d.substring(0, len))) {
                return true;
            }
        }
        return false;
    }

    private static boolean looksLikeDate(String d, int[] g, boolean dots, boolean others) {
        if (g.length != 3 || !(dots || others)) {
            return false;
        }
        int yearGroup = g[0] == 4 ? 0 : g[2] == 4 ? 2 : -1;
        if (yearGroup < 0) {
            return false;
        }
        int offset = yearGroup == 0 ? 0 : g[0] + g[1];
        int year = Integer.parseInt(d.substring(offset, offset + 4));
        return year >= 1900 && year <= 2100;
    }
}
