package dev.warden.guardrails.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Street addresses where the street-type word makes them clear, in the house-number-first style of English and
 * French ({@code 1600 Pennsylvania Avenue NW}, {@code 12 rue de la Paix}) and the street-first style of German,
 * Spanish and Italian ({@code Hauptstraße 5}, {@code Calle de Alcalá 23}, {@code Via Roma 10}), with an optional
 * postcode and town after a comma ({@code , 10115 Berlin}, {@code , Springfield, IL 62704}). A number and a
 * capitalised word alone are not enough: "3 Apples" and "Chapter 12" stay.
 */
final class StreetAddressDetector implements Detector {

    private static final String CAP = "\\p{Lu}[\\p{L}'’.-]*";
    private static final String TAIL = "(?:,? ?(?:\\d{4,5} " + CAP + "(?: " + CAP + ")?|" + CAP
            + "(?: " + CAP + ")?, [A-Z]{2} \\d{5}(?:-\\d{4})?))?";

    private static final Pattern NUMBER_FIRST_EN = Pattern.compile(
            "(?<![\\w.,/-])\\d{1,5}[A-Za-z]? (?:" + CAP + " ){0,4}"
                    + "(?:Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Boulevard|Blvd\\.?|Lane|Ln\\.?|Drive|Dr\\.?|Court"
                    + "|Ct\\.?|Way|Place|Pl\\.?|Terrace|Parkway|Pkwy\\.?|Circle|Highway|Hwy\\.?|Square|Sq\\.?)"
                    + "(?: (?:N|S|E|W|NE|NW|SE|SW)\\b)?(?:,? (?:Apt|Suite|Unit|#) ?\\w+)?" + TAIL
                    + "(?![\\p{L}])");
    private static final Pattern NUMBER_FIRST_FR = Pattern.compile(
            "(?<![\\w.,/-])\\d{1,4}(?: ?(?:bis|ter))?,? (?:rue|avenue|av\\.|boulevard|bd|place|chemin|allée|impasse"
                    + "|quai|cours|route|square) (?:(?:de la|de l'|de l’|des|du|de|d'|d’|la|le|les) ?)?" + CAP
                    + "(?: (?:(?:de la|des|du|de|la|le) )?" + CAP + "){0,3}" + TAIL,
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern STREET_FIRST = Pattern.compile(
            "(?<![\\p{L}])(?:" + CAP + "(?:straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee)"
                    + "|(?:Am|An der|Auf der|Im|In der) " + CAP
                    + "|(?:Calle|C/|Avenida|Avda\\.|Av\\.|Plaza|Paseo|Carrer|Camino|Via|Viale|Piazza|Corso|Rua)"
                    + " (?:(?:de la|del|de|dels|la|los|las) )?" + CAP + "(?: " + CAP + "){0,2}"
                    + ")[, ] ?(?:Nr\\. ?|nº ?|n\\. ?)?\\d{1,4}[a-zA-Z]?(?![\\w.,/-]\\d)" + TAIL);

    @Override
    public int maxLength() {
        return 160;
    }

    /** Street-type words (lower case) that make a nearby number an address; the regexes run only around them. */
    private static final java.util.Set<String> CUES = java.util.Set.of("street", "st", "avenue", "ave", "road", "rd",
            "boulevard", "blvd", "lane", "ln", "drive", "dr", "court", "ct", "way", "place", "pl", "terrace",
            "parkway", "pkwy", "circle", "highway", "hwy", "square", "sq", "rue", "av", "bd", "chemin", "allée",
            "impasse", "quai", "cours", "route", "calle", "c", "avenida", "avda", "plaza", "paseo", "carrer",
            "camino", "via", "viale", "piazza", "corso", "rua", "am", "an", "auf", "im", "in");
    private static final String[] GERMAN_SUFFIXES = {"straße", "strasse", "str", "weg", "allee", "platz", "gasse",
        "ring", "damm", "ufer", "chaussee"};

    @Override
    public void scan(String s, List<PiiMatch> out) {
        // Find cue words in one pass, then run the patterns only on windows around them: the full patterns over a
        // whole 8 KB message cost milliseconds, the cue pass microseconds.
        int n = s.length();
        int windowStart = -1;
        int windowEnd = -1;
        int i = 0;
        while (i < n) {
            if (!Chars.letter(s.charAt(i)) || (i > 0 && Chars.letter(s.charAt(i - 1)))) {
                i++;
                continue;
            }
            int j = i + 1;
            while (j < n && Chars.letter(s.charAt(j))) {
                j++;
            }
            if (cue(s, i, j)) {
                int ws = Math.max(0, i - 100);
                int we = Math.min(n, j + 120);
                if (windowStart >= 0 && ws <= windowEnd) {
                    windowEnd = we;
                } else {
                    if (windowStart >= 0) {
                        findAll(s, windowStart, windowEnd, out);
                    }
                    windowStart = ws;
                    windowEnd = we;
                }
            }
            i = j;
        }
        if (windowStart >= 0) {
            findAll(s, windowStart, windowEnd, out);
        }
    }

    private static boolean cue(String s, int from, int to) {
        int len = to - from;
        if (len <= 9) {
            String w = s.substring(from, to).toLowerCase(java.util.Locale.ROOT);
            if (CUES.contains(w)) {
                return true;
            }
        }
        if (len >= 5 && Character.isUpperCase(s.charAt(from))) {
            for (String suffix : GERMAN_SUFFIXES) {
                if (s.regionMatches(true, to - suffix.length(), suffix, 0, suffix.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void findAll(String s, int from, int to, List<PiiMatch> out) {
        if (!hasDigit(s, from, to)) {
            return;
        }
        find(NUMBER_FIRST_EN, s, from, to, out);
        find(NUMBER_FIRST_FR, s, from, to, out);
        find(STREET_FIRST, s, from, to, out);
    }

    private static boolean hasDigit(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Chars.digit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static void find(Pattern p, String s, int from, int to, List<PiiMatch> out) {
        Matcher m = p.matcher(s);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        m.region(from, to);
        while (m.find()) {
            int end = m.end();
            while (end > m.start() && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ',')
                    && !s.regionMatches(end - 3, "St.", 0, 3)) {
                end--;
            }
            if (!alreadyFound(out, m.start(), end)) {
                out.add(new PiiMatch(EntityType.STREET_ADDRESS, m.start(), end, 0.75));
            }
        }
    }

    private static boolean alreadyFound(List<PiiMatch> out, int start, int end) {
        for (PiiMatch m : out) {
            if (m.type() == EntityType.STREET_ADDRESS && m.start() == start && m.end() == end) {
                return true;
            }
        }
        return false;
    }
}
