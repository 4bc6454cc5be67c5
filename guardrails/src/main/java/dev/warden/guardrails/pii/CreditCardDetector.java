package dev.warden.guardrails.pii;

import java.util.List;

/**
 * Payment card numbers (PANs): 13–19 digits, plain or grouped by spaces or hyphens in the printed layouts
 * (4-4-4-4, 4-6-5, 4-6-4, 4-4-4-4-3), passing the Luhn check and starting with an issuer range that is in use.
 *
 * <p>Luhn alone lets one random number in ten through; the issuer ranges cut most of the rest. Numbers near words
 * such as "order", "invoice" or "tracking" and no card word are left alone: an order number that happens to pass
 * Luhn is not a card.
 */
final class CreditCardDetector implements Detector {

    private static final String[] CARD_WORDS = {"card", "visa", "mastercard", "amex", "american express", "credit",
        "debit", "cc", "pan", "karte", "carte", "tarjeta", "cartão", "payment", "zahlung", "paiement", "pago",
        "discover", "jcb", "diners", "maestro", "unionpay", "cvv", "expir", "exp"};
    private static final String[] NOT_CARD_WORDS = {"order", "invoice", "tracking", "ticket", "ref", "reference",
        "isbn", "ean", "imei", "serial", "account no", "bestell", "commande", "pedido", "rechnung", "facture",
        "factura", "transaction id", "txn", "phone", "tel"};

    @Override
    public int maxLength() {
        return 23;
    }

    @Override
    public void scan(String s, List<PiiMatch> out) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (!Chars.digit(c) || !leftBoundary(s, i)) {
                i++;
                continue;
            }
            if (Chars.digitsAhead(s, i, " -", 20) < 13) {
                while (i < n && (Chars.digit(s.charAt(i)) || s.charAt(i) == ' ' || s.charAt(i) == '-')) {
                    i++;
                }
                continue;
            }
            DigitRun run = DigitRun.parse(s, i, " -", 19);
            if (run == null) {
                // Too long to be a card: skip the whole digit stretch so no suffix of it matches.
                while (i < n && (Chars.digit(s.charAt(i)) || s.charAt(i) == ' ' || s.charAt(i) == '-')) {
                    i++;
                }
                continue;
            }
            if (accept(s, run)) {
                out.add(new PiiMatch(EntityType.CREDIT_CARD, run.start(), run.end(), 0.95));
            }
            i = Math.max(run.end(), i + 1);
        }
    }

    private static boolean leftBoundary(String s, int i) {
        if (i == 0) {
            return true;
        }
        char p = s.charAt(i - 1);
        if (Chars.word(p)) {
            return false;
        }
        // 1,234 or 3.14: the digits continue a number written before them.
        return !((p == '.' || p == ',' || p == '-' || p == '+' || p == '/') && Chars.digitAt(s, i - 2));
    }

    private static boolean accept(String s, DigitRun run) {
        int len = run.digitCount();
        if (len < 13 || len > 19) {
            return false;
        }
        if (Chars.wordAt(s, run.end()) || ((Chars.charAt(s, run.end(), '.') || Chars.charAt(s, run.end(), ','))
                && Chars.digitAt(s, run.end() + 1))) {
            return false;
        }
        if (!layout(run.groups())) {
            return false;
        }
        String d = run.digits();
        if (!luhn(d) || !issuer(d, len)) {
            return false;
        }
        String ctx = Chars.before(s, run.start(), 40);
        return !Chars.containsWord(ctx, NOT_CARD_WORDS) || Chars.containsWord(ctx, CARD_WORDS);
    }

    private static boolean layout(int[] g) {
        if (g.length == 1) {
            return true;
        }
        if (g[0] != 4) {
            return false;
        }
        if (g.length == 3 && g[1] == 6 && (g[2] == 5 || g[2] == 4)) {
            return true;
        }
        for (int k = 1; k < g.length - 1; k++) {
            if (g[k] != 4) {
                return false;
            }
        }
        int last = g[g.length - 1];
        return last >= 1 && last <= 4;
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** Issuer identification ranges in use (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir). */
    static boolean issuer(String d, int len) {
        int p2 = Integer.parseInt(d.substring(0, 2));
        int p3 = Integer.parseInt(d.substring(0, 3));
        int p4 = Integer.parseInt(d.substring(0, 4));
        int p6 = Integer.parseInt(d.substring(0, 6));
        if (d.charAt(0) == '4') {
            return len == 13 || len == 16 || len == 19; // Visa
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return len == 16; // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return len == 15; // American Express
        }
        if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 || (p6 >= 622126 && p6 <= 622925)) {
            return len >= 16 && len <= 19; // Discover
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return len >= 16 && len <= 19; // JCB
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39 || p4 == 3095) {
            return len >= 14 && len <= 19; // Diners Club
        }
        if (p2 == 62 || p2 == 81) {
            return len >= 16 && len <= 19; // UnionPay
        }
        if (p4 >= 2200 && p4 <= 2204) {
            return len >= 16 && len <= 19; // Mir
        }
        if (p2 == 50 || (p2 >= 56 && p2 <= 69) || p4 == 6759 || p4 == 6761 || p4 == 6763) {
            return len >= 13 && len <= 19; // Maestro
        }
        return false;
    }
}
